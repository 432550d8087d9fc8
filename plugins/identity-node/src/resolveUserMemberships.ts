import { Entity } from '@backstage/catalog-model';
import {
  asArray,
  edgeKey,
  edgeProblem,
  EdgeSource,
  GroupGraph,
  originOf,
  toRef,
} from './GroupGraph';
import {
  GroupMembership,
  IgnoredMembership,
  MembershipEdge,
  UncountedMembership,
  UserMemberships,
} from './MembershipResolver';
import { TrustedOrigins } from './TrustedOrigins';

/**
 * What a User entity declares about its memberships: its origin and its
 * `spec.memberOf` as lowercase group refs. Small enough to store, so that an
 * index can resolve a user again when only groups changed.
 *
 * @public
 */
export interface ParsedUser {
  /** The entity's origin location, when it has one. */
  origin?: string;
  /** `spec.memberOf`, as lowercase group refs. */
  memberOf: string[];
}

/**
 * Reads what a User entity declares about its memberships.
 *
 * @public
 */
export function parseUserEntity(user: Entity): ParsedUser {
  return {
    origin: originOf(user),
    memberOf: asArray(user.spec?.memberOf)
      .map(g => toRef(g, 'group', user))
      .filter((r): r is string => !!r && r.startsWith('group:')),
  };
}

/**
 * Walks from a user's direct groups up the group graph, breadth first, so
 * each group is reached through its shortest path and visited once (cycles
 * end the walk instead of looping). Declarations that do not count are
 * returned beside the memberships, with their reason.
 *
 * @param maxDepth - levels of nesting followed above the direct groups; 0
 *   means direct memberships only
 * @public
 */
export function resolveUserMemberships(options: {
  userEntityRef: string;
  user: ParsedUser | undefined;
  graph: GroupGraph;
  trustedOrigins: TrustedOrigins;
  maxDepth: number;
}): UserMemberships {
  const { userEntityRef, user, graph, trustedOrigins, maxDepth } = options;
  const uncounted: UncountedMembership[] = [];
  const direct = new Map<string, EdgeSource>();

  // A user entity from no directory is someone no trusted source vouches
  // for: another source may have taken over a name a trusted one listed, so
  // the trusted groups' listings of that name do not count for it either.
  const userUntrusted =
    !!user &&
    trustedOrigins.restricted &&
    trustedOrigins.directoryOf(user.origin) === undefined;
  for (const groupRef of graph.groupsListingMember.get(userEntityRef) ?? []) {
    const source = graph.edgeSources.get(edgeKey(userEntityRef, groupRef)) ?? {
      declaredBy: groupRef,
    };
    if (userUntrusted) {
      uncounted.push({
        groupRef,
        reason: 'untrusted-origin',
        path: [userEntityRef, groupRef],
        source,
        reaches: [],
      });
    } else {
      direct.set(groupRef, source);
    }
  }
  if (user) {
    const source: EdgeSource = {
      declaredBy: userEntityRef,
      origin: user.origin,
      directory: trustedOrigins.directoryOf(user.origin),
    };
    for (const groupRef of user.memberOf) {
      if (direct.has(groupRef)) {
        continue;
      }
      const reason = edgeProblem(
        source.directory,
        groupRef,
        graph.groups,
        trustedOrigins,
      );
      if (reason) {
        uncounted.push({
          groupRef,
          reason,
          path: [userEntityRef, groupRef],
          source,
          reaches: [],
        });
      } else {
        direct.set(groupRef, source);
      }
    }
  }
  for (const edge of graph.uncountedListings.get(userEntityRef) ?? []) {
    uncounted.push({
      groupRef: edge.groupRef,
      reason: edge.reason,
      path: [userEntityRef, edge.groupRef],
      source: edge.source,
      reaches: [],
    });
  }

  const memberships: GroupMembership[] = [];
  const seen = new Set<string>();
  let frontier: GroupMembership[] = [...direct.keys()].sort().map(groupRef => ({
    groupRef,
    direct: true,
    path: [userEntityRef, groupRef],
    edges: [edgeOf(userEntityRef, groupRef, direct.get(groupRef)!)],
  }));
  frontier.forEach(m => seen.add(m.groupRef));
  const tooDeep = new Set<string>();
  let level = 0;
  let truncated = false;

  while (frontier.length) {
    memberships.push(...frontier);
    const next: GroupMembership[] = [];
    for (const membership of frontier) {
      const from = membership.groupRef;
      for (const edge of graph.uncountedParents.get(from) ?? []) {
        uncounted.push({
          groupRef: edge.groupRef,
          reason: edge.reason,
          path: [...membership.path, edge.groupRef],
          source: edge.source,
          reaches: [],
        });
      }
      for (const parent of graph.parentsOf.get(from) ?? []) {
        const source = graph.edgeSources.get(edgeKey(from, parent)) ?? {
          declaredBy: from,
        };
        if (membership.path.includes(parent)) {
          uncounted.push({
            groupRef: parent,
            reason: 'cycle',
            path: [...membership.path, parent],
            source,
            reaches: [],
          });
          continue;
        }
        if (seen.has(parent)) {
          continue;
        }
        if (level >= maxDepth) {
          truncated = true;
          if (!tooDeep.has(parent)) {
            tooDeep.add(parent);
            uncounted.push({
              groupRef: parent,
              reason: 'max-depth',
              path: [...membership.path, parent],
              source,
              reaches: [],
            });
          }
          continue;
        }
        seen.add(parent);
        next.push({
          groupRef: parent,
          direct: false,
          path: [...membership.path, parent],
          edges: [...membership.edges, edgeOf(from, parent, source)],
        });
      }
    }
    frontier = next;
    level += 1;
  }

  // A declaration that does not count adds nothing to show when the group
  // counts through another path; a cycle is shown whatever it leads to.
  const shown = uncounted.filter(
    u => u.reason === 'cycle' || !seen.has(u.groupRef),
  );
  for (const u of shown) {
    u.reaches =
      u.reason === 'cycle'
        ? []
        : declaredAncestors(graph, u.groupRef, maxDepth);
  }
  const ignored: IgnoredMembership[] = shown
    .filter(
      u =>
        u.path.length === 2 &&
        (u.reason === 'untrusted-origin' || u.reason === 'other-directory'),
    )
    .map(u => ({
      groupRef: u.groupRef,
      declaredBy: u.source.declaredBy,
      origin: u.source.origin,
    }));

  return {
    userEntityRef,
    userFound: !!user,
    memberships,
    groupRefs: seen,
    truncated,
    ignored,
    uncounted: shown,
    fresh: true,
  };
}

/** At most this many groups in `UncountedMembership.reaches`. */
const MAX_REACHES = 20;

/**
 * The groups above `groupRef` along every declared parent edge, counted or
 * not, breadth first within `maxDepth` levels.
 */
function declaredAncestors(
  graph: GroupGraph,
  groupRef: string,
  maxDepth: number,
): string[] {
  const seen = new Set<string>([groupRef]);
  const found: string[] = [];
  let frontier = [groupRef];
  for (let level = 0; level < maxDepth && frontier.length; level++) {
    const next: string[] = [];
    for (const ref of frontier) {
      const parents = [
        ...(graph.parentsOf.get(ref) ?? []),
        ...(graph.uncountedParents.get(ref) ?? []).map(e => e.groupRef),
      ];
      for (const parent of parents) {
        if (seen.has(parent)) {
          continue;
        }
        seen.add(parent);
        found.push(parent);
        if (found.length >= MAX_REACHES) {
          return found;
        }
        next.push(parent);
      }
    }
    frontier = next;
  }
  return found;
}

function edgeOf(from: string, to: string, source: EdgeSource): MembershipEdge {
  return { from, to, ...source };
}
