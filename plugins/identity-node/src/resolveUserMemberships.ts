import { Entity } from '@backstage/catalog-model';
import { asArray, GroupGraph, originOf, toRef } from './GroupGraph';
import {
  GroupMembership,
  IgnoredMembership,
  UserMemberships,
} from './MembershipResolver';
import { TrustedOrigins } from './TrustedOrigins';

/**
 * Walks from a user's direct groups up the group graph, breadth first, so
 * each group is reached through its shortest path and visited once (cycles
 * end the walk instead of looping).
 *
 * @param maxDepth - levels of nesting followed above the direct groups; 0
 *   means direct memberships only
 * @public
 */
export function resolveUserMemberships(options: {
  userEntityRef: string;
  user: Entity | undefined;
  graph: GroupGraph;
  trustedOrigins: TrustedOrigins;
  maxDepth: number;
}): UserMemberships {
  const { userEntityRef, user, graph, trustedOrigins, maxDepth } = options;
  const ignored: IgnoredMembership[] = [];
  const direct = new Set<string>(graph.groupsListingMember.get(userEntityRef));

  const declared = user
    ? asArray(user.spec?.memberOf)
        .map(g => toRef(g, 'group', user))
        .filter((r): r is string => !!r && r.startsWith('group:'))
    : [];
  if (user && declared.length && !trustedOrigins.isTrusted(originOf(user))) {
    for (const groupRef of declared) {
      ignored.push({
        groupRef,
        declaredBy: userEntityRef,
        origin: originOf(user),
      });
    }
  } else {
    declared.forEach(g => direct.add(g));
  }
  for (const groupRef of graph.untrustedListings.get(userEntityRef) ?? []) {
    if (!direct.has(groupRef)) {
      ignored.push({
        groupRef,
        declaredBy: groupRef,
        origin: graph.untrustedGroups.get(groupRef),
      });
    }
  }

  const memberships: GroupMembership[] = [];
  const seen = new Set<string>();
  let frontier: GroupMembership[] = [...direct].sort().map(groupRef => ({
    groupRef,
    direct: true,
    path: [userEntityRef, groupRef],
  }));
  frontier.forEach(m => seen.add(m.groupRef));
  let level = 0;
  let truncated = false;

  while (frontier.length) {
    memberships.push(...frontier);
    const next: GroupMembership[] = [];
    for (const membership of frontier) {
      for (const parent of graph.parentsOf.get(membership.groupRef) ?? []) {
        if (seen.has(parent)) {
          continue;
        }
        if (level >= maxDepth) {
          truncated = true;
          continue;
        }
        seen.add(parent);
        next.push({
          groupRef: parent,
          direct: false,
          path: [...membership.path, parent],
        });
      }
    }
    frontier = next;
    level += 1;
  }

  return {
    userEntityRef,
    userFound: !!user,
    memberships,
    groupRefs: new Set(memberships.map(m => m.groupRef)),
    truncated,
    ignored,
    fresh: true,
  };
}
