import { JsonObject } from '@backstage/types';

const lower = (s: string) => s.toLocaleLowerCase('en-US');

function findKey(object: JsonObject, name: string): string | undefined {
  return Object.keys(object).find(k => lower(k) === lower(name));
}

interface Selector {
  /** Schema URN of an extension, or undefined for the core schema. */
  extension?: string;
  attribute: string;
  sub?: string;
}

function parseSelectors(list: string, resource: JsonObject): Selector[] {
  const extensions = Object.keys(resource).filter(k => /^urn:/i.test(k));
  const coreSchemas = ((resource.schemas as string[]) ?? []).filter(
    s => !extensions.includes(s),
  );
  return list
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .map(raw => {
      let rest = raw;
      let extension: string | undefined;
      for (const urn of [...extensions, ...coreSchemas]) {
        if (lower(raw) === lower(urn)) {
          return { attribute: urn };
        }
        if (lower(raw).startsWith(`${lower(urn)}:`)) {
          extension = extensions.includes(urn) ? urn : undefined;
          rest = raw.slice(urn.length + 1);
          break;
        }
      }
      const [attribute, sub] = rest.split('.');
      return { extension, attribute, sub };
    });
}

/**
 * Applies the `attributes` / `excludedAttributes` query parameters (RFC 7644
 * section 3.4.2.5) to a rendered resource. `id` and `schemas` are always
 * returned.
 */
export function projectAttributes(
  resource: JsonObject,
  options: { attributes?: string; excludedAttributes?: string },
): JsonObject {
  if (options.attributes) {
    const result: JsonObject = { schemas: resource.schemas, id: resource.id };
    for (const selector of parseSelectors(options.attributes, resource)) {
      const source = selector.extension
        ? (resource[selector.extension] as JsonObject | undefined)
        : resource;
      if (!source) continue;
      const key = findKey(source, selector.attribute);
      if (!key) continue;
      const target = selector.extension
        ? ((result[selector.extension] ??= {}) as JsonObject)
        : result;
      const value = source[key];
      if (!selector.sub) {
        target[key] = value;
        continue;
      }
      if (Array.isArray(value)) {
        target[key] = value.map(item => {
          const subKey = findKey(item as JsonObject, selector.sub!);
          return subKey ? { [subKey]: (item as JsonObject)[subKey] } : {};
        });
      } else if (value && typeof value === 'object') {
        const subKey = findKey(value as JsonObject, selector.sub);
        if (subKey) {
          target[key] = {
            ...((target[key] as JsonObject) ?? {}),
            [subKey]: (value as JsonObject)[subKey],
          };
        }
      }
    }
    return result;
  }
  if (options.excludedAttributes) {
    const result = JSON.parse(JSON.stringify(resource)) as JsonObject;
    for (const selector of parseSelectors(options.excludedAttributes, result)) {
      const source = selector.extension
        ? (result[selector.extension] as JsonObject | undefined)
        : result;
      if (!source) continue;
      const key = findKey(source, selector.attribute);
      if (!key || (!selector.extension && ['id', 'schemas'].includes(key))) {
        continue;
      }
      if (!selector.sub) {
        delete source[key];
        continue;
      }
      const value = source[key];
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (item && typeof item === 'object') {
          const subKey = findKey(item as JsonObject, selector.sub);
          if (subKey) delete (item as JsonObject)[subKey];
        }
      }
    }
    return result;
  }
  return resource;
}

/** True when `members` would be dropped, so the store need not load them. */
export function excludesAttribute(
  options: { attributes?: string; excludedAttributes?: string },
  name: string,
): boolean {
  const names = (list?: string) =>
    (list ?? '').split(',').map(s => lower(s.trim().split('.')[0]));
  if (options.attributes) {
    return !names(options.attributes).includes(lower(name));
  }
  return names(options.excludedAttributes).includes(lower(name));
}
