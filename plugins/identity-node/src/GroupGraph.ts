import {
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { TrustedOrigins } from './TrustedOrigins';

/**
 * Why a declared membership edge does not count.
 *
 * - `untrusted-origin`: the entity declaring it, the group it points to, or
 *   the user entity itself is in no configured directory;
 * - `other-directory`: it points into a group of another directory, which its
 *   own directory may not grant into;
 * - `unknown-group`: the group it points to is not in the catalog;
 * - `max-depth`: the group is further above the user's direct groups than
 *   `identityPolicy.membership.maxDepth` follows;
 * - `cycle`: the edge leads back to a group already on the path.
 *
 * @public
 */
export type UncountedReason =
  | 'untrusted-origin'
  | 'other-directory'
  | 'unknown-group'
  | 'max-depth'
  | 'cycle';

/**
 * Who declared a membership edge: the entity, its origin and its directory.
 *
 * @public
 */
export interface EdgeSource {
  /** The declaring entity (the member, or the group that lists it). */
  declaredBy: string;
  /** The declaring entity's origin location, when it has one. */
  origin?: string;
  /** Undefined when the origin is in no directory. */
  directory?: string;
}

/**
 * A declared edge that does not count, with its reason.
 *
 * @public
 */
export interface UncountedEdge {
  /** The group the edge would add. */
  groupRef: string;
  /** Who declared the edge. */
  source: EdgeSource;
  /** Why it does not count. */
  reason: UncountedReason;
}

/**
 * The group tree as the membership resolver sees it: the edges that count,
 * with who declared each, and the declared edges that do not, with why.
 *
 * @public
 */
export interface GroupGraph {
  /** Parent groups of each group (lowercase refs), counted edges only. */
  parentsOf: ReadonlyMap<string, ReadonlySet<string>>;
  /** Groups that list a user in `spec.members` (counted), by user ref. */
  groupsListingMember: ReadonlyMap<string, ReadonlySet<string>>;
  /** Who declared each counted edge, by `edgeKey(from, to)`. */
  edgeSources: ReadonlyMap<string, EdgeSource>;
  /** Each group's origin and directory (undefined when untrusted). */
  groups: ReadonlyMap<string, { origin?: string; directory?: string }>;
  /** Declared parent edges that do not count, by child group. */
  uncountedParents: ReadonlyMap<string, readonly UncountedEdge[]>;
  /** Declared `spec.members` listings that do not count, by user ref. */
  uncountedListings: ReadonlyMap<string, readonly UncountedEdge[]>;
  /** Each cycle in the group tree, as the refs of the groups in it. */
  cycles: string[][];
  /** Declarations that do not count. */
  ignoredDeclarations: number;
  /** Groups with declarations that do not count, with their origin. */
  untrustedGroups: ReadonlyMap<string, string | undefined>;
}

/**
 * The key of an edge in {@link GroupGraph.edgeSources}.
 *
 * @public
 */
export function edgeKey(from: string, to: string): string {
  return `${from}>${to}`;
}

/** Lowercase ref of a possibly relative reference made by `declaredBy`. */
export function toRef(
  ref: unknown,
  defaultKind: string,
  declaredBy: Entity,
): string | undefined {
  if (typeof ref !== 'string' || !ref) {
    return undefined;
  }
  try {
    // Refs compare case-insensitively in the catalog; keys here are lowercase.
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind,
        defaultNamespace: declaredBy.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** The entity's origin location annotation. */
export function originOf(entity: Entity): string | undefined {
  return entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
}

/** A spec field that may hold one value or a list. */
export function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  return value === undefined || value === null ? [] : [value];
}

/**
 * What one Group entity contributes to the graph, parsed once so that a
 * refresh that changed a few groups does not re-read all the others.
 *
 * @public
 */
export interface ParsedGroup {
  /** The group, as a lowercase entity ref. */
  entityRef: string;
  /** The entity's origin location. */
  origin?: string;
  /** `spec.parent`, as lowercase group refs. */
  parents: string[];
  /** `spec.children`, as lowercase group refs. */
  children: string[];
  /** `spec.members`, as lowercase user refs. */
  members: string[];
}

/**
 * Reads the membership edges a Group entity declares (only `kind`,
 * `metadata.name`, `metadata.namespace`, `metadata.annotations` and the
 * `spec` membership fields are read); `undefined` for an unusable name.
 *
 * @public
 */
export function parseGroupEntity(group: Entity): ParsedGroup | undefined {
  const entityRef = toRef(group.metadata.name, 'group', group);
  if (!entityRef) {
    return undefined;
  }
  const spec = (group.spec ?? {}) as Record<string, unknown>;
  const origin = originOf(group);
  return {
    entityRef,
    origin,
    parents: asArray(spec.parent)
      .map(p => toRef(p, 'group', group))
      .filter((r): r is string => !!r),
    children: asArray(spec.children)
      .map(c => toRef(c, 'group', group))
      .filter((r): r is string => !!r),
    members: asArray(spec.members)
      .map(m => toRef(m, 'user', group))
      .filter((r): r is string => !!r && r.startsWith('user:')),
  };
}

/**
 * Builds the group graph from Group entities.
 */
export function buildGroupGraph(
  groups: Entity[],
  trustedOrigins: TrustedOrigins,
): GroupGraph {
  return assembleGroupGraph(
    groups.map(g => parseGroupEntity(g)).filter((g): g is ParsedGroup => !!g),
    trustedOrigins,
  );
}

/**
 * Builds the group graph from parsed groups. An edge counts when the entity
 * declaring it is in a directory and, for `spec.parent`, when the parent's
 * directory is the same or one the child's directory may grant into. A group
 * owns its own member and child lists: what it declares about itself counts
 * whenever the group is in a directory.
 *
 * @public
 */
export function assembleGroupGraph(
  groups: Iterable<ParsedGroup>,
  trustedOrigins: TrustedOrigins,
): GroupGraph {
  const all = [...groups];
  const groupInfo = new Map<string, { origin?: string; directory?: string }>();
  for (const group of all) {
    groupInfo.set(group.entityRef, {
      origin: group.origin,
      directory: trustedOrigins.directoryOf(group.origin),
    });
  }
  const parentsOf = new Map<string, Set<string>>();
  const groupsListingMember = new Map<string, Set<string>>();
  const edgeSources = new Map<string, EdgeSource>();
  const uncountedParents = new Map<string, UncountedEdge[]>();
  const uncountedListings = new Map<string, UncountedEdge[]>();
  const untrustedGroups = new Map<string, string | undefined>();
  let ignoredDeclarations = 0;

  const addTo = (map: Map<string, Set<string>>, key: string, value: string) => {
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    set.add(value);
  };
  const skip = (
    map: Map<string, UncountedEdge[]>,
    key: string,
    edge: UncountedEdge,
  ) => {
    ignoredDeclarations += 1;
    untrustedGroups.set(edge.source.declaredBy, edge.source.origin);
    const list = map.get(key);
    if (list) {
      list.push(edge);
    } else {
      map.set(key, [edge]);
    }
  };

  for (const group of all) {
    const self = group.entityRef;
    const { directory } = groupInfo.get(self)!;
    const source: EdgeSource = {
      declaredBy: self,
      origin: group.origin,
      directory,
    };
    for (const parent of group.parents) {
      const reason = edgeProblem(directory, parent, groupInfo, trustedOrigins);
      if (reason) {
        skip(uncountedParents, self, { groupRef: parent, source, reason });
      } else {
        addTo(parentsOf, self, parent);
        edgeSources.set(edgeKey(self, parent), source);
      }
    }
    for (const child of group.children) {
      // The parent declares who joins it: its directory decides alone.
      const reason = directory === undefined ? 'untrusted-origin' : undefined;
      if (reason) {
        skip(uncountedParents, child, { groupRef: self, source, reason });
      } else {
        addTo(parentsOf, child, self);
        if (!edgeSources.has(edgeKey(child, self))) {
          edgeSources.set(edgeKey(child, self), source);
        }
      }
    }
    for (const member of group.members) {
      if (directory === undefined) {
        skip(uncountedListings, member, {
          groupRef: self,
          source,
          reason: 'untrusted-origin',
        });
      } else {
        addTo(groupsListingMember, member, self);
        edgeSources.set(edgeKey(member, self), source);
      }
    }
  }

  return {
    parentsOf,
    groupsListingMember,
    edgeSources,
    groups: groupInfo,
    uncountedParents,
    uncountedListings,
    cycles: findCycles(parentsOf),
    ignoredDeclarations,
    untrustedGroups,
  };
}

/**
 * Why an edge declared by an entity of `directory` into `groupRef` does not
 * count, or undefined when it counts.
 */
export function edgeProblem(
  directory: string | undefined,
  groupRef: string,
  groups: GroupGraph['groups'],
  trustedOrigins: TrustedOrigins,
): UncountedReason | undefined {
  if (directory === undefined) {
    return 'untrusted-origin';
  }
  const target = groups.get(groupRef);
  if (!target) {
    return 'unknown-group';
  }
  if (target.directory === undefined) {
    return 'untrusted-origin';
  }
  if (!trustedOrigins.mayGrant(directory, target.directory)) {
    return 'other-directory';
  }
  return undefined;
}

/**
 * Strongly connected components with more than one group (or a group that is
 * its own parent), found with an iterative Tarjan walk so deep trees cannot
 * overflow the stack.
 */
function findCycles(parentsOf: ReadonlyMap<string, ReadonlySet<string>>) {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let next = 0;

  // The work stack is empty again whenever a root's walk ends.
  const work: Array<{ node: string; edges: Iterator<string> }> = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    work.push({
      node,
      edges: (parentsOf.get(node) ?? new Set<string>()).values(),
    });
  };

  for (const root of parentsOf.keys()) {
    if (index.has(root)) {
      continue;
    }
    visit(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const step = frame.edges.next();
      if (!step.done) {
        const target = step.value;
        if (!index.has(target)) {
          visit(target);
        } else if (onStack.has(target)) {
          low.set(
            frame.node,
            Math.min(low.get(frame.node)!, index.get(target)!),
          );
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop =
          component.length === 1 &&
          (parentsOf.get(frame.node)?.has(frame.node) ?? false);
        if (component.length > 1 || selfLoop) {
          cycles.push(component.sort());
        }
      }
    }
  }
  return cycles;
}
