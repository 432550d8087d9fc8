import { JsonObject, JsonValue } from '@backstage/types';
import { ScimError } from '../errors/ScimError';
import {
  ScimAttribute,
  ScimResourceDefinition,
  findAttribute,
  findExtension,
} from './scimAttributes';

/**
 * A SCIM resource body in canonical form: attribute names spelled as the
 * schema spells them, extensions under their schema URN, no id/meta/schemas,
 * no empty values. This is what the store keeps.
 */
export type CanonicalResource = JsonObject;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: JsonValue | undefined): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0)
  );
}

function normalizeScalar(
  attribute: ScimAttribute,
  value: JsonValue,
  path: string,
): JsonValue | undefined {
  if (value === null || value === '') {
    return undefined;
  }
  switch (attribute.type) {
    case 'boolean':
      if (typeof value === 'boolean') {
        return value;
      }
      // Entra ID sends "True"/"False" as strings in PATCH operations.
      if (typeof value === 'string') {
        const lower = value.toLocaleLowerCase('en-US');
        if (lower === 'true' || lower === 'false') {
          return lower === 'true';
        }
      }
      throw ScimError.badRequest(
        'invalidValue',
        `Attribute '${path}' must be a boolean`,
      );
    case 'integer':
    case 'decimal':
      if (typeof value === 'number') {
        return value;
      }
      throw ScimError.badRequest(
        'invalidValue',
        `Attribute '${path}' must be a number`,
      );
    default:
      if (typeof value === 'string') {
        return value;
      }
      // Some IdPs send numeric identifiers (employeeNumber) unquoted.
      if (typeof value === 'number' || typeof value === 'boolean') {
        return String(value);
      }
      throw ScimError.badRequest(
        'invalidValue',
        `Attribute '${path}' must be a string`,
      );
  }
}

function normalizeComplex(
  attribute: ScimAttribute,
  value: JsonValue,
  path: string,
): JsonObject | undefined {
  let input: JsonValue = value;
  // A bare value for a complex attribute with a `value` sub-attribute is
  // shorthand for { value } (Entra ID sends the manager id this way).
  if (!isObject(input)) {
    if (
      (typeof input === 'string' || typeof input === 'number') &&
      findAttribute(attribute.subAttributes, 'value')
    ) {
      input = { value: input };
    } else {
      throw ScimError.badRequest(
        'invalidValue',
        `Attribute '${path}' must be an object`,
      );
    }
  }
  const result: JsonObject = {};
  for (const [key, raw] of Object.entries(input as JsonObject)) {
    const sub = findAttribute(attribute.subAttributes, key);
    if (!sub) {
      continue;
    }
    const normalized = normalizeScalar(sub, raw ?? null, `${path}.${sub.name}`);
    if (normalized !== undefined) {
      result[sub.name] = normalized;
    }
  }
  return Object.keys(result).length ? result : undefined;
}

/** Normalizes the value of one attribute; undefined means "no value". */
export function normalizeAttributeValue(
  attribute: ScimAttribute,
  value: JsonValue | undefined,
  path: string = attribute.name,
): JsonValue | undefined {
  if (isEmpty(value)) {
    return undefined;
  }
  if (attribute.multiValued) {
    const items = Array.isArray(value) ? value : [value!];
    const result: JsonValue[] = [];
    for (const item of items) {
      const normalized =
        attribute.type === 'complex'
          ? normalizeComplex(attribute, item, path)
          : normalizeScalar(attribute, item, path);
      if (normalized !== undefined) {
        result.push(normalized);
      }
    }
    return result.length ? result : undefined;
  }
  if (attribute.type === 'complex') {
    return normalizeComplex(attribute, value!, path);
  }
  if (Array.isArray(value)) {
    throw ScimError.badRequest(
      'invalidValue',
      `Attribute '${path}' is single-valued`,
    );
  }
  return normalizeScalar(attribute, value!, path);
}

function normalizeAttributes(
  attributes: ScimAttribute[],
  input: JsonObject,
  into: JsonObject,
  pathPrefix: string,
) {
  for (const [key, raw] of Object.entries(input)) {
    const attribute = findAttribute(attributes, key);
    if (!attribute || attribute.mutability === 'readOnly') {
      continue;
    }
    const normalized = normalizeAttributeValue(
      attribute,
      raw,
      `${pathPrefix}${attribute.name}`,
    );
    if (normalized !== undefined) {
      into[attribute.name] = normalized;
    }
  }
}

/**
 * Turns a request body into canonical form. Unknown and read-only attributes
 * are ignored, as RFC 7644 section 3.3 allows; values of the wrong type are a
 * 400 invalidValue.
 */
export function normalizeResource(
  definition: ScimResourceDefinition,
  input: JsonValue,
): CanonicalResource {
  if (!isObject(input)) {
    throw ScimError.badRequest(
      'invalidSyntax',
      'Request body must be a JSON object',
    );
  }
  const result: JsonObject = {};
  normalizeAttributes(definition.core.attributes, input, result, '');
  if (input.externalId !== undefined || input.externalid !== undefined) {
    const externalId = input.externalId ?? input.externalid;
    if (externalId !== null && externalId !== '') {
      if (typeof externalId !== 'string') {
        throw ScimError.badRequest(
          'invalidValue',
          "'externalId' must be a string",
        );
      }
      result.externalId = externalId;
    }
  }
  for (const [key, raw] of Object.entries(input)) {
    const extension = findExtension(definition, key);
    if (!extension || raw === null) {
      continue;
    }
    if (!isObject(raw)) {
      throw ScimError.badRequest(
        'invalidValue',
        `Extension '${extension.id}' must be an object`,
      );
    }
    const extensionValue: JsonObject = {};
    normalizeAttributes(
      extension.attributes,
      raw,
      extensionValue,
      `${extension.id}:`,
    );
    if (Object.keys(extensionValue).length) {
      result[extension.id] = extensionValue;
    }
  }
  return result;
}
