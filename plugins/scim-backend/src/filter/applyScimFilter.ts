import { Knex } from 'knex';
import { Compare, Filter, Suffix } from 'scim2-parse-filter';
import { ScimError } from '../errors/ScimError';
import {
  ChildTarget,
  ColumnTarget,
  FilterTarget,
  FilterTargets,
} from './filterTargets';

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** Strips a known schema URN prefix and lower-cases the attribute path. */
function attributeKey(targets: FilterTargets, attrPath: string): string {
  const path = lower(attrPath);
  for (const schema of targets.schemas) {
    const prefix = `${lower(schema)}:`;
    if (path.startsWith(prefix)) {
      return path.slice(prefix.length);
    }
  }
  return path;
}

function unsupported(attrPath: string): ScimError {
  return ScimError.badRequest(
    'invalidFilter',
    `Filtering on attribute '${attrPath}' is not supported`,
  );
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, m => `\\${m}`);
}

function comparisonValue(target: ColumnTarget, filter: Compare) {
  const value = filter.compValue;
  if (target.type === 'boolean') {
    if (typeof value === 'boolean') {
      return value;
    }
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
      return lower(value) === 'true';
    }
    throw ScimError.badRequest(
      'invalidFilter',
      `Attribute '${filter.attrPath}' must be compared with true or false`,
    );
  }
  if (typeof value === 'boolean' || value === null) {
    throw ScimError.badRequest(
      'invalidFilter',
      `Attribute '${filter.attrPath}' must be compared with a string`,
    );
  }
  if (target.type === 'dateTime') {
    const date = new Date(String(value));
    if (isNaN(date.getTime())) {
      throw ScimError.badRequest(
        'invalidFilter',
        `'${value}' is not a valid dateTime`,
      );
    }
    return date.toISOString();
  }
  return String(value);
}

/**
 * Adds one comparison on a column. Every comparison is guarded with
 * `IS NOT NULL` so that it is never SQL-NULL, which keeps `not (...)` correct
 * for resources that lack the attribute.
 */
function whereColumn(
  knex: Knex,
  builder: Knex.QueryBuilder,
  column: string,
  target: ColumnTarget,
  filter: Compare | Suffix,
) {
  if (filter.op === 'pr') {
    if (target.type === 'string') {
      builder.whereNotNull(column).andWhere(column, '<>', '');
    } else {
      builder.whereNotNull(column);
    }
    return;
  }
  if (filter.op === 'ne') {
    builder.whereNot(b =>
      whereColumn(knex, b, column, target, { ...filter, op: 'eq' }),
    );
    return;
  }
  const value = comparisonValue(target, filter);
  builder.whereNotNull(column);
  if (target.type === 'boolean') {
    if (filter.op !== 'eq') {
      throw ScimError.badRequest(
        'invalidFilter',
        `Operator '${filter.op}' is not supported for boolean '${filter.attrPath}'`,
      );
    }
    builder.andWhere(column, value);
    return;
  }
  const text = value as string;
  const exact = target.caseExact;
  const expr = exact ? '??' : 'LOWER(??)';
  const operand = exact ? text : lower(text);
  const sqlOperators: Record<string, string> = {
    eq: '=',
    gt: '>',
    ge: '>=',
    lt: '<',
    le: '<=',
  };
  switch (filter.op) {
    case 'eq':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      builder.andWhereRaw(`${expr} ${sqlOperators[filter.op]} ?`, [
        column,
        operand,
      ]);
      return;
    default: {
      // LIKE is case-insensitive in SQLite and case-sensitive in PostgreSQL;
      // comparing lower-cased operands makes both agree, so co/sw/ew are
      // case-insensitive even for caseExact attributes (id, externalId).
      const escaped = escapeLike(lower(text));
      const patterns: Record<string, string> = {
        co: `%${escaped}%`,
        sw: `${escaped}%`,
        ew: `%${escaped}`,
      };
      const pattern = patterns[filter.op];
      builder.andWhereRaw(`LOWER(??) LIKE ? ESCAPE '\\'`, [column, pattern]);
    }
  }
}

interface Scope {
  knex: Knex;
  targets: FilterTargets;
  alias: string;
  /** Set inside a value filter: sub-attributes resolve against this child. */
  child?: { target: ChildTarget; alias: string };
  depth: number;
}

function whereChildExists(
  builder: Knex.QueryBuilder,
  target: ChildTarget,
  scope: Scope,
  condition: (sub: Knex.QueryBuilder, childAlias: string) => void,
) {
  const alias = `c${scope.depth}`;
  builder.whereExists(function childRows(this: Knex.QueryBuilder) {
    this.select(scope.knex.raw('1'))
      .from(`${target.table} as ${alias}`)
      .whereRaw('??.?? = ??.??', [
        alias,
        target.parentColumn,
        scope.alias,
        'id',
      ]);
    for (const [column, value] of Object.entries(target.where)) {
      this.andWhere(`${alias}.${column}`, value);
    }
    this.andWhere(sub => condition(sub, alias));
  });
}

function applyAttribute(
  builder: Knex.QueryBuilder,
  filter: Compare | Suffix,
  scope: Scope,
) {
  if (scope.child) {
    const sub = scope.child.target.subAttributes[lower(filter.attrPath)];
    if (!sub) {
      throw unsupported(filter.attrPath);
    }
    whereColumn(
      scope.knex,
      builder,
      `${scope.child.alias}.${sub.column}`,
      sub,
      filter,
    );
    return;
  }
  const key = attributeKey(scope.targets, filter.attrPath);
  let target: FilterTarget | undefined = scope.targets.targets[key];
  let subName: string | undefined;
  if (!target) {
    const dot = key.lastIndexOf('.');
    if (dot > 0) {
      target = scope.targets.targets[key.slice(0, dot)];
      subName = key.slice(dot + 1);
    }
  }
  if (!target) {
    throw unsupported(filter.attrPath);
  }
  if (target.kind === 'column') {
    whereColumn(
      scope.knex,
      builder,
      `${scope.alias}.${target.column}`,
      target,
      filter,
    );
    return;
  }
  const childTarget = target;
  if (!subName) {
    // `emails pr` means "has at least one email".
    if (filter.op === 'pr') {
      whereChildExists(builder, childTarget, scope, () => {});
      return;
    }
    subName = 'value';
  }
  const sub = childTarget.subAttributes[subName];
  if (!sub) {
    throw unsupported(filter.attrPath);
  }
  if (filter.op === 'ne') {
    builder.whereNot(b =>
      applyAttribute(b, { ...filter, op: 'eq' } as Compare, scope),
    );
    return;
  }
  whereChildExists(builder, childTarget, scope, (b, alias) =>
    whereColumn(scope.knex, b, `${alias}.${sub.column}`, sub, filter),
  );
}

function applyFilter(builder: Knex.QueryBuilder, filter: Filter, scope: Scope) {
  switch (filter.op) {
    case 'and':
      for (const f of filter.filters) {
        builder.andWhere(b => applyFilter(b, f, scope));
      }
      return;
    case 'or':
      builder.where(b => {
        for (const f of filter.filters) {
          b.orWhere(o => applyFilter(o, f, scope));
        }
      });
      return;
    case 'not':
      builder.whereNot(b => applyFilter(b, filter.filter, scope));
      return;
    case '[]': {
      if (scope.child) {
        throw ScimError.badRequest(
          'invalidFilter',
          'Value filters cannot be nested',
        );
      }
      const target =
        scope.targets.targets[attributeKey(scope.targets, filter.attrPath)];
      if (!target || target.kind !== 'child') {
        throw unsupported(filter.attrPath);
      }
      whereChildExists(builder, target, scope, (b, alias) =>
        applyFilter(b, filter.valFilter, {
          ...scope,
          child: { target, alias },
          depth: scope.depth + 1,
        }),
      );
      return;
    }
    default:
      applyAttribute(builder, filter as Compare | Suffix, {
        ...scope,
        depth: scope.depth + 1,
      });
  }
}

/**
 * Translates a parsed SCIM filter into WHERE clauses on `alias`, through the
 * allow-list in `targets`. Only portable SQL is used (LOWER, LIKE ... ESCAPE,
 * EXISTS), so SQLite and PostgreSQL run the same query.
 */
export function applyScimFilter(
  knex: Knex,
  builder: Knex.QueryBuilder,
  filter: Filter,
  targets: FilterTargets,
  alias: string,
): void {
  builder.andWhere(b =>
    applyFilter(b, filter, { knex, targets, alias, depth: 0 }),
  );
}
