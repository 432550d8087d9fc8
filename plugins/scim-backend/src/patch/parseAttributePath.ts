import { Filter } from 'scim2-parse-filter';
import { FilterLimitError, parseScimFilter } from '../filter/parseScimFilter';
import {
  ScimAttribute,
  ScimResourceDefinition,
  externalIdAttribute,
  findAttribute,
} from '../schema/scimAttributes';
import { ScimError } from '../errors/ScimError';

/** A resolved PATCH path or `attributes` entry. */
export type AttributePath =
  | { kind: 'extension'; schema: string }
  | {
      kind: 'attribute';
      /** Extension URN, or undefined for the core schema. */
      schema?: string;
      attribute: ScimAttribute;
      filter?: Filter;
      subAttribute?: ScimAttribute;
    };

const PATH = /^([A-Za-z$][\w$-]*)(?:\[(.*)\])?(?:\.([A-Za-z$][\w$-]*))?$/s;

/**
 * Resolves `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, each with
 * an optional schema URN prefix, against the resource's schemas. Names are
 * matched case-insensitively; unknown attributes are a 400 invalidPath.
 */
export function parseAttributePath(
  definition: ScimResourceDefinition,
  rawPath: string,
): AttributePath {
  const path = rawPath.trim();
  const lowerPath = path.toLocaleLowerCase('en-US');
  let schema: string | undefined;
  let attributes = definition.core.attributes;
  let rest = path;
  for (const candidate of [definition.core, ...definition.extensions]) {
    const id = candidate.id.toLocaleLowerCase('en-US');
    if (lowerPath === id) {
      if (candidate === definition.core) {
        throw ScimError.badRequest('invalidPath', `Invalid path '${rawPath}'`);
      }
      return { kind: 'extension', schema: candidate.id };
    }
    if (lowerPath.startsWith(`${id}:`)) {
      schema = candidate === definition.core ? undefined : candidate.id;
      attributes = candidate.attributes;
      rest = path.slice(id.length + 1);
      break;
    }
  }
  const match = PATH.exec(rest);
  if (!match) {
    throw ScimError.badRequest('invalidPath', `Invalid path '${rawPath}'`);
  }
  const [, name, filterText, subName] = match;
  const attribute =
    findAttribute(attributes, name) ??
    (schema === undefined && name.toLocaleLowerCase('en-US') === 'externalid'
      ? externalIdAttribute
      : undefined);
  if (!attribute) {
    throw ScimError.badRequest(
      'invalidPath',
      `Unknown attribute '${name}' in path '${rawPath}'`,
    );
  }
  let filter: Filter | undefined;
  if (filterText !== undefined) {
    if (!attribute.multiValued) {
      throw ScimError.badRequest(
        'invalidPath',
        `Attribute '${attribute.name}' is not multi-valued`,
      );
    }
    try {
      filter = parseScimFilter(filterText);
    } catch (error) {
      // Over the limits: the same error as in a `filter` parameter (RFC 7644
      // section 3.12 lists invalidFilter for PATCH path filters too).
      if (error instanceof FilterLimitError) {
        throw error;
      }
      throw ScimError.badRequest('invalidPath', (error as Error).message);
    }
  }
  let subAttribute: ScimAttribute | undefined;
  if (subName !== undefined) {
    subAttribute = findAttribute(attribute.subAttributes, subName);
    if (!subAttribute) {
      throw ScimError.badRequest(
        'invalidPath',
        `Unknown sub-attribute '${subName}' in path '${rawPath}'`,
      );
    }
  }
  return { kind: 'attribute', schema, attribute, filter, subAttribute };
}
