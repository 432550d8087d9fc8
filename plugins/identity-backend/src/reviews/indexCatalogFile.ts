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

/** What one User or Group declares, by field. */
export type EntityDeclarations = Partial<
  Record<MembershipField, DeclarationLine[]>
>;

/**
 * Where each User and Group of a catalog file declares its memberships, by
 * lowercase entity ref.
 */
export interface CatalogFileDeclarations {
  get(ref: string): EntityDeclarations | undefined;
  has(ref: string): boolean;
}

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

/** One YAML document of a file, with the 0-based line it starts on. */
interface Chunk {
  text: string;
  lower: string;
  firstLine: number;
  parsed: boolean;
}

/**
 * The file's documents, cut at `---` document markers at the start of a
 * line, where YAML itself starts a new document: a line scan, no parsing.
 */
function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let start = 0;
  let startLine = 0;
  let line = 0;
  const push = (end: number) => {
    const chunk = text.slice(start, end);
    if (chunk.trim()) {
      chunks.push({
        text: chunk,
        lower: chunk.toLocaleLowerCase('en-US'),
        firstLine: startLine,
        parsed: false,
      });
    }
  };
  for (let at = 0; at < text.length; ) {
    const next = text.indexOf('\n', at);
    const end = next === -1 ? text.length : next + 1;
    if (at > 0 && /^---(?:[ \t\r\n]|$)/.test(text.slice(at, at + 4))) {
      push(at);
      start = at;
      startLine = line;
    }
    line += 1;
    at = end;
  }
  push(text.length);
  return chunks;
}

/** Adds what each User and Group of one document declares to `found`. */
function indexChunk(
  chunk: Chunk,
  found: Map<string, EntityDeclarations>,
): void {
  const lineCounter = new LineCounter();
  const lineOf = (node: Node) =>
    chunk.firstLine + lineCounter.linePos(node.range?.[0] ?? 0).line;
  for (const doc of parseAllDocuments(chunk.text, { lineCounter })) {
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
    const fields: EntityDeclarations = {};
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
}

/**
 * Reads a catalog file (one or more YAML documents) into where each User
 * and Group declares `spec.memberOf`, `spec.members`, `spec.parent` and
 * `spec.children`, with the line of every entry, refs resolved as the
 * catalog resolves them (the entity's namespace by default). Documents that
 * do not parse are skipped: the catalog skips them too.
 *
 * @remarks
 *
 * Parsed on demand: a generated directory file of 1.3 MB took 0.6 to 1.3 s
 * to parse whole with positions, paid by a reviewer's decision, while a
 * revocation needs one or two entities of it. The file is cut into its
 * documents once; asking for an entity parses only the documents whose
 * text holds its name (each at most once).
 */
export function indexCatalogFile(text: string): CatalogFileDeclarations {
  const chunks = splitDocuments(text);
  const found = new Map<string, EntityDeclarations>();
  const lookup = (ref: string) => {
    const key = ref.toLocaleLowerCase('en-US');
    const name = key.slice(key.indexOf('/') + 1);
    for (const chunk of chunks) {
      if (!chunk.parsed && chunk.lower.includes(name)) {
        chunk.parsed = true;
        indexChunk(chunk, found);
      }
    }
    return found.get(key);
  };
  return {
    get: lookup,
    has: ref => lookup(ref) !== undefined,
  };
}
