import { JsonObject, JsonValue } from '@backstage/types';
import { Filter } from 'scim2-parse-filter';
import { ScimError } from '../errors/ScimError';

const lower = (s: string) => s.toLocaleLowerCase('en-US');

function lookup(element: JsonObject, name: string): JsonValue | undefined {
  const key = Object.keys(element).find(k => lower(k) === lower(name));
  return key === undefined ? undefined : element[key];
}

function compare(actual: JsonValue | undefined, op: string, expected: unknown) {
  if (actual === undefined || actual === null) {
    return false;
  }
  if (typeof actual === 'boolean' || typeof expected === 'boolean') {
    const want =
      typeof expected === 'string' ? lower(expected) === 'true' : expected;
    return op === 'eq' ? actual === want : false;
  }
  const a = lower(String(actual));
  const e = lower(String(expected));
  switch (op) {
    case 'eq':
      return a === e;
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    case 'gt':
      return a > e;
    case 'ge':
      return a >= e;
    case 'lt':
      return a < e;
    case 'le':
      return a <= e;
    default:
      throw ScimError.badRequest('invalidFilter', `Unknown operator '${op}'`);
  }
}

/**
 * Evaluates the filter inside a PATCH path such as `emails[type eq "work"]`
 * against one element of a multi-valued attribute. Elements are small and
 * already in memory, so this is the one place filters are evaluated in code.
 */
export function matchesValueFilter(
  element: JsonObject,
  filter: Filter,
): boolean {
  switch (filter.op) {
    case 'and':
      return filter.filters.every(f => matchesValueFilter(element, f));
    case 'or':
      return filter.filters.some(f => matchesValueFilter(element, f));
    case 'not':
      return !matchesValueFilter(element, filter.filter);
    case '[]':
      throw ScimError.badRequest(
        'invalidFilter',
        'Value filters cannot be nested',
      );
    case 'pr': {
      const v = lookup(element, filter.attrPath);
      return v !== undefined && v !== null && v !== '';
    }
    case 'ne':
      return !compare(lookup(element, filter.attrPath), 'eq', filter.compValue);
    default:
      return compare(
        lookup(element, filter.attrPath),
        filter.op,
        filter.compValue,
      );
  }
}

/**
 * The attribute values a filter pins with `eq` (joined by `and`), used to
 * create the element when a replace on a filter path matches nothing.
 */
export function equalitiesOf(filter: Filter): JsonObject {
  if (filter.op === 'eq') {
    return { [filter.attrPath]: filter.compValue as JsonValue };
  }
  if (filter.op === 'and') {
    return Object.assign({}, ...filter.filters.map(equalitiesOf));
  }
  return {};
}
