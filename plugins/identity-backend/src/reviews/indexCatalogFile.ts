import { Entity } from '@backstage/catalog-model';
import {
  parseGroupEntity,
  parseUserEntity,
} from '@identity-governance/plugin-identity-node';
import { JsonObject } from '@backstage/types';
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Node,
  parseAllDocuments,
} from 'yaml';

/** The spec fields that declare a membership edge. */
export type MembershipField = 'memberOf' | 'members' | 'parent' | 'children';

const FIELDS: MembershipField[] = ['memberOf', 'members', 'parent', 'children'];

/** One entry of a membership field: the ref it names and its 1-based line. */
export interface DeclarationLine {
  ref: string;
  line: number;
}

/**
 * Where each User and Group of a catalog file declares its memberships, by
 * lowercase entity ref, then by field.
 */
export type CatalogFileDeclarations = Map<
  string,
  Partial<Record<MembershipField, DeclarationLine[]>>
>;

/**
 * The ref one entry names, resolved by the membership engine's own parsing
 * (namespace defaults, kinds it accepts), so that lines are found for the
 * refs the engine counts.
 */
function resolveEntry(
  field: MembershipField,
  value: unknown,
  kind: string,
  metadata: { name: string; namespace: string },
): string | undefined {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata,
    spec: { [field]: [value] } as JsonObject,
  };
  if (field === 'memberOf') {
    return parseUserEntity(entity).memberOf[0];
  }
  const group = parseGroupEntity(entity);
  const refs = {
    members: group?.members,
    parent: group?.parents,
    children: group?.children,
  }[field];
  return refs?.[0];
}

/**
 * Reads a catalog file (one or more YAML documents) into where each User
 * and Group declares `spec.memberOf`, `spec.members`, `spec.parent` and
 * `spec.children`, with the line of every entry, refs resolved as the
 * catalog resolves them (the entity's namespace by default). Documents that
 * do not parse are skipped: the catalog skips them too.
 */
export function indexCatalogFile(text: string): CatalogFileDeclarations {
  const lineCounter = new LineCounter();
  const found: CatalogFileDeclarations = new Map();
  const lineOf = (node: Node) => lineCounter.linePos(node.range?.[0] ?? 0).line;
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    if (!('errors' in doc) || doc.errors.length || !isMap(doc.contents)) {
      continue;
    }
    const kind = doc.get('kind');
    const name = doc.getIn(['metadata', 'name']);
    const namespace = doc.getIn(['metadata', 'namespace']) ?? 'default';
    if (
      typeof kind !== 'string' ||
      !['user', 'group'].includes(kind.toLocaleLowerCase('en-US')) ||
      typeof name !== 'string' ||
      typeof namespace !== 'string'
    ) {
      continue;
    }
    const ref = `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
    const fields: Partial<Record<MembershipField, DeclarationLine[]>> = {};
    for (const field of FIELDS) {
      const node = doc.getIn(['spec', field], true);
      const entries = isSeq(node) ? node.items : [node];
      const lines: DeclarationLine[] = [];
      for (const entry of entries) {
        if (!isScalar(entry)) {
          continue;
        }
        const target = resolveEntry(field, entry.value, kind, {
          name,
          namespace,
        });
        if (target) {
          lines.push({ ref: target, line: lineOf(entry) });
        }
      }
      if (lines.length) {
        fields[field] = lines;
      }
    }
    found.set(ref, fields);
  }
  return found;
}
