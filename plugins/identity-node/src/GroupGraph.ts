import {
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { TrustedOrigins } from './TrustedOrigins';

/**
 * The group tree as the membership resolver sees it: only edges declared by
 * entities from trusted origins.
 *
 * @public
 */
export interface GroupGraph {
  /** Parent groups of each group (lowercase refs). */
  parentsOf: ReadonlyMap<string, ReadonlySet<string>>;
  /** Groups that list a user in `spec.members`, by lowercase user ref. */
  groupsListingMember: ReadonlyMap<string, ReadonlySet<string>>;
  /** Each cycle in the group tree, as the refs of the groups in it. */
  cycles: string[][];
  /** Declarations ignored because of their origin. */
  ignoredDeclarations: number;
  /** Group entities whose declarations were ignored, with their origin. */
  untrustedGroups: ReadonlyMap<string, string | undefined>;
  /** Untrusted groups that list a user in `spec.members`, by user ref. */
  untrustedListings: ReadonlyMap<string, ReadonlySet<string>>;
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
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind,
        defaultNamespace: declaredBy.metadata.namespace ?? 'default',
      }),
    );
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
  /** Whether its origin is trusted: if not, its edges count for nothing. */
  trusted: boolean;
  parents: string[];
  children: string[];
  members: string[];
}

/**
 * Reads the membership edges a Group entity declares (only `kind`,
 * `metadata.name`, `metadata.namespace`, `metadata.annotations` and the
 * `spec` membership fields are read); `undefined` for an unusable name.
 *
 * @public
 */
export function parseGroupEntity(
  group: Entity,
  trustedOrigins: TrustedOrigins,
): ParsedGroup | undefined {
  const entityRef = toRef(group.metadata.name, 'group', group);
  if (!entityRef) {
    return undefined;
  }
  const spec = (group.spec ?? {}) as Record<string, unknown>;
  const origin = originOf(group);
  return {
    entityRef,
    origin,
    trusted: trustedOrigins.isTrusted(origin),
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
 *
 * @public
 */
export function buildGroupGraph(
  groups: Entity[],
  trustedOrigins: TrustedOrigins,
): GroupGraph {
  return assembleGroupGraph(
    groups
      .map(g => parseGroupEntity(g, trustedOrigins))
      .filter((g): g is ParsedGroup => !!g),
  );
}

/**
 * Builds the group graph from parsed groups: only edges declared by groups
 * of trusted origin count.
 *
 * @public
 */
export function assembleGroupGraph(groups: Iterable<ParsedGroup>): GroupGraph {
  const parentsOf = new Map<string, Set<string>>();
  const groupsListingMember = new Map<string, Set<string>>();
  const untrustedGroups = new Map<string, string | undefined>();
  const untrustedListings = new Map<string, Set<string>>();
  let ignoredDeclarations = 0;

  const addTo = (map: Map<string, Set<string>>, key: string, value: string) => {
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    set.add(value);
  };

  for (const group of groups) {
    const self = group.entityRef;
    if (!group.trusted) {
      const declared =
        group.parents.length + group.children.length + group.members.length;
      if (declared > 0) {
        ignoredDeclarations += declared;
        untrustedGroups.set(self, group.origin);
      }
      for (const member of group.members) {
        addTo(untrustedListings, member, self);
      }
      continue;
    }
    for (const parent of group.parents) {
      addTo(parentsOf, self, parent);
    }
    for (const child of group.children) {
      addTo(parentsOf, child, self);
    }
    for (const member of group.members) {
      addTo(groupsListingMember, member, self);
    }
  }

  return {
    parentsOf,
    groupsListingMember,
    cycles: findCycles(parentsOf),
    ignoredDeclarations,
    untrustedGroups,
    untrustedListings,
  };
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
