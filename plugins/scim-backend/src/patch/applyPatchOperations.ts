import { JsonObject, JsonValue } from '@backstage/types';
import { equalitiesOf, matchesValueFilter } from '../filter/matchesValueFilter';
import {
  ScimAttribute,
  ScimResourceDefinition,
  findAttribute,
} from '../schema/scimAttributes';
import { PATCH_OP_SCHEMA } from '../schema/scimSchemaUris';
import { ScimError } from '../errors/ScimError';
import { AttributePath, parseAttributePath } from './parseAttributePath';

type Op = 'add' | 'replace' | 'remove';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: JsonValue | undefined): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** Renames the keys of a complex value to the schema's spelling. */
function canonicalComplex(
  attribute: ScimAttribute,
  value: JsonValue,
): JsonObject {
  if (!isObject(value)) {
    if (findAttribute(attribute.subAttributes, 'value')) {
      return { value };
    }
    throw ScimError.badRequest(
      'invalidValue',
      `Attribute '${attribute.name}' needs an object value`,
    );
  }
  const result: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = findAttribute(attribute.subAttributes, key);
    result[sub ? sub.name : key] = v;
  }
  return result;
}

function toItems(attribute: ScimAttribute, value: JsonValue): JsonValue[] {
  const items = Array.isArray(value) ? value : [value];
  return attribute.type === 'complex'
    ? items.map(item => canonicalComplex(attribute, item))
    : items;
}

function sameItem(a: JsonValue, b: JsonValue): boolean {
  if (isObject(a) && isObject(b) && a.value !== undefined) {
    return String(a.value) === String(b.value);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

function applyToContainer(
  container: JsonObject,
  op: Op,
  path: Extract<AttributePath, { kind: 'attribute' }>,
  value: JsonValue | undefined,
) {
  const { attribute, filter, subAttribute } = path;
  const name = attribute.name;
  const clearing = op !== 'remove' && isEmpty(value);

  if (filter) {
    const items = ((container[name] as JsonObject[] | undefined) ?? []).slice();
    const matching = items.filter(item => matchesValueFilter(item, filter));
    if (op === 'remove' || clearing) {
      if (subAttribute) {
        matching.forEach(item => delete item[subAttribute.name]);
      } else {
        container[name] = items.filter(item => !matching.includes(item));
      }
      return;
    }
    if (!matching.length) {
      // Entra ID replaces `emails[type eq "work"].value` on users that have
      // no work email yet: the element is created from the filter.
      const created = canonicalComplex(attribute, equalitiesOf(filter));
      matching.push(created);
      items.push(created);
    }
    for (const item of matching) {
      if (subAttribute) {
        item[subAttribute.name] = value!;
      } else {
        const incoming = canonicalComplex(attribute, value!);
        if (op === 'replace') {
          Object.keys(item).forEach(k => delete item[k]);
        }
        Object.assign(item, incoming);
      }
    }
    container[name] = items;
    return;
  }

  if (subAttribute) {
    if (attribute.multiValued) {
      const items = (container[name] as JsonObject[] | undefined) ?? [];
      if (op === 'remove' || clearing) {
        items.forEach(item => delete item[subAttribute.name]);
      } else if (items.length) {
        items.forEach(item => {
          item[subAttribute.name] = value!;
        });
      } else {
        container[name] = [{ [subAttribute.name]: value! }];
      }
      return;
    }
    const current = isObject(container[name])
      ? (container[name] as JsonObject)
      : {};
    if (op === 'remove' || clearing) {
      delete current[subAttribute.name];
    } else {
      current[subAttribute.name] = value!;
    }
    container[name] = current;
    return;
  }

  if (op === 'remove' && attribute.multiValued && !isEmpty(value)) {
    // Entra ID removes members with a value array instead of a filter path.
    const toRemove = toItems(attribute, value!);
    const items = (container[name] as JsonValue[] | undefined) ?? [];
    container[name] = items.filter(
      item => !toRemove.some(other => sameItem(item, other)),
    );
    return;
  }
  if (op === 'remove' || clearing) {
    delete container[name];
    return;
  }
  if (attribute.multiValued) {
    const incoming = toItems(attribute, value!);
    if (op === 'replace') {
      container[name] = incoming;
      return;
    }
    const items = ((container[name] as JsonValue[] | undefined) ?? []).slice();
    for (const item of incoming) {
      const index = items.findIndex(existing => sameItem(existing, item));
      if (index >= 0) {
        items[index] = isObject(items[index])
          ? { ...(items[index] as JsonObject), ...(item as JsonObject) }
          : item;
      } else {
        items.push(item);
      }
    }
    container[name] = items;
    return;
  }
  if (attribute.type === 'complex') {
    // RFC 7644 3.5.2.3: sub-attributes not in the value are left unchanged.
    const current = isObject(container[name])
      ? (container[name] as JsonObject)
      : {};
    container[name] = { ...current, ...canonicalComplex(attribute, value!) };
    return;
  }
  container[name] = value!;
}

function applyOne(
  definition: ScimResourceDefinition,
  resource: JsonObject,
  op: Op,
  path: AttributePath,
  value: JsonValue | undefined,
  explicitPath: boolean,
) {
  if (path.kind === 'extension') {
    if (op === 'remove') {
      delete resource[path.schema];
      return;
    }
    if (!isObject(value)) {
      if (isEmpty(value)) {
        delete resource[path.schema];
        return;
      }
      throw ScimError.badRequest(
        'invalidValue',
        `Value for '${path.schema}' must be an object`,
      );
    }
    for (const [key, v] of Object.entries(value)) {
      applyOne(
        definition,
        resource,
        op,
        parseAttributePath(definition, `${path.schema}:${key}`),
        v,
        false,
      );
    }
    return;
  }
  if (path.attribute.mutability === 'readOnly') {
    if (explicitPath) {
      throw ScimError.badRequest(
        'mutability',
        `Attribute '${path.attribute.name}' is read-only`,
      );
    }
    return;
  }
  let container = resource;
  if (path.schema) {
    if (!isObject(resource[path.schema])) {
      resource[path.schema] = {};
    }
    container = resource[path.schema] as JsonObject;
  }
  applyToContainer(container, op, path, value);
}

/** Attributes a pathless value may carry that are not patchable. */
const IGNORED_KEYS = new Set(['id', 'meta', 'schemas']);

/**
 * Applies the Operations of a PatchOp request to a copy of the resource and
 * returns the copy. The result still has to be normalized and validated by
 * the caller, which coerces values such as `"False"`.
 */
export function applyPatchOperations(
  definition: ScimResourceDefinition,
  resource: JsonObject,
  body: JsonValue,
): JsonObject {
  if (!isObject(body)) {
    throw ScimError.badRequest(
      'invalidSyntax',
      'Request body must be a JSON object',
    );
  }
  const schemas = body.schemas;
  if (
    schemas !== undefined &&
    (!Array.isArray(schemas) || !schemas.includes(PATCH_OP_SCHEMA))
  ) {
    throw ScimError.badRequest(
      'invalidSyntax',
      `PATCH requests must use the schema ${PATCH_OP_SCHEMA}`,
    );
  }
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.badRequest(
      'invalidSyntax',
      'PATCH requests need a non-empty Operations array',
    );
  }
  const result = JSON.parse(JSON.stringify(resource)) as JsonObject;
  for (const operation of operations) {
    if (!isObject(operation) || typeof operation.op !== 'string') {
      throw ScimError.badRequest(
        'invalidSyntax',
        "Each operation needs an 'op'",
      );
    }
    const op = operation.op.toLocaleLowerCase('en-US') as Op;
    if (!['add', 'replace', 'remove'].includes(op)) {
      throw ScimError.badRequest(
        'invalidSyntax',
        `Unsupported operation '${operation.op}'`,
      );
    }
    const { path, value } = operation;
    if (path !== undefined && path !== null && path !== '') {
      if (typeof path !== 'string') {
        throw ScimError.badRequest('invalidPath', "'path' must be a string");
      }
      applyOne(
        definition,
        result,
        op,
        parseAttributePath(definition, path),
        value,
        true,
      );
      continue;
    }
    if (op === 'remove') {
      throw ScimError.badRequest(
        'noTarget',
        "A 'remove' operation needs a path",
      );
    }
    if (!isObject(value)) {
      throw ScimError.badRequest(
        'invalidValue',
        'An operation without a path needs an object value',
      );
    }
    // Keys may be attribute names, dotted paths ("name.givenName") or
    // URN-prefixed paths, as Entra ID sends them.
    for (const [key, v] of Object.entries(value)) {
      if (IGNORED_KEYS.has(key.toLocaleLowerCase('en-US'))) {
        continue;
      }
      applyOne(
        definition,
        result,
        op,
        parseAttributePath(definition, key),
        v,
        false,
      );
    }
  }
  return result;
}
