import {
  ScimGroupRecord,
  ScimRecordSet,
  ScimUserRecord,
} from '@identity-governance/plugin-scim-node';
import { EntityGraph, StoredGroup, StoredUser } from '../store/ScimStore';
import type { OwnershipCandidate, OwnershipDecision } from './EntityOwnership';
import { managerIdOf } from '../store/userColumns';
import { IdpSettings, entityRefOf } from './entityRefOf';

/**
 * Every record of the graph that would emit an entity or be named by a
 * membership: active users and groups, those of the graph and those its
 * memberships reference.
 */
export function ownershipCandidates(
  graph: EntityGraph,
  settings: IdpSettings,
): OwnershipCandidate[] {
  const candidates: OwnershipCandidate[] = [];
  for (const [id, user] of graph.userNames) {
    if (user.active) {
      candidates.push({
        entityRef: entityRefOf(settings, 'User', user.idp, user.entityName),
        idp: user.idp,
        resourceType: 'User',
        resourceId: id,
      });
    }
  }
  for (const [id, group] of graph.groupNames) {
    candidates.push({
      entityRef: entityRefOf(settings, 'Group', group.idp, group.entityName),
      idp: group.idp,
      resourceType: 'Group',
      resourceId: id,
    });
  }
  return candidates;
}

/**
 * The manager's ref, when the manager is an active user of the same IdP that
 * it emits as its own: SCIM ids are unique across IdPs, but the check keeps
 * an IdP from naming anyone else's user, whatever the id.
 */
function managerRefOf(
  user: StoredUser,
  graph: EntityGraph,
  settings: IdpSettings,
  decision: OwnershipDecision,
): string | undefined {
  const id = managerIdOf(user.resource);
  const manager = id && id !== user.id ? graph.userNames.get(id) : undefined;
  if (!manager?.active || manager.idp !== user.idp) {
    return undefined;
  }
  const ref = entityRefOf(settings, 'User', manager.idp, manager.entityName);
  return decision.link.has(ref) ? ref : undefined;
}

function userRecord(
  user: StoredUser,
  graph: EntityGraph,
  settings: IdpSettings,
  decision: OwnershipDecision,
): ScimUserRecord {
  const memberOf = (graph.groupsOf.get(user.id) ?? [])
    .map(id => graph.groupNames.get(id))
    .filter((g): g is { idp: string; entityName: string } => Boolean(g))
    .map(g => entityRefOf(settings, 'Group', g.idp, g.entityName))
    // Never a membership in a group this IdP does not emit as its own: the
    // catalog would add it to the other source's group.
    .filter(ref => decision.link.has(ref));
  const managerRef = managerRefOf(user, graph, settings, decision);
  return {
    id: user.id,
    idp: user.idp,
    entityRef: entityRefOf(settings, 'User', user.idp, user.entityName),
    namespace: settings(user.idp).namespace,
    name: user.entityName,
    ...(user.externalId ? { externalId: user.externalId } : {}),
    created: user.created,
    lastModified: user.lastModified,
    userName: user.userName,
    resource: user.resource,
    memberOf,
    ...(managerRef ? { managerRef } : {}),
  };
}

function groupRecord(
  group: StoredGroup,
  graph: EntityGraph,
  settings: IdpSettings,
  decision: OwnershipDecision,
): ScimGroupRecord {
  const members: string[] = [];
  const children: string[] = [];
  for (const member of graph.membersOf.get(group.id) ?? []) {
    if (member.type === 'User') {
      const user = graph.userNames.get(member.value);
      // Deactivated users are not in the catalog, so they are not members.
      // Nor are users this IdP does not emit as its own.
      if (user?.active) {
        const ref = entityRefOf(settings, 'User', user.idp, user.entityName);
        if (decision.link.has(ref)) {
          members.push(ref);
        }
      }
    } else {
      const child = graph.groupNames.get(member.value);
      if (child) {
        const ref = entityRefOf(settings, 'Group', child.idp, child.entityName);
        if (decision.link.has(ref)) {
          children.push(ref);
        }
      }
    }
  }
  return {
    id: group.id,
    idp: group.idp,
    entityRef: entityRefOf(settings, 'Group', group.idp, group.entityName),
    namespace: settings(group.idp).namespace,
    name: group.entityName,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    created: group.created,
    lastModified: group.lastModified,
    displayName: group.displayName,
    type: settings(group.idp).groupType,
    members,
    children,
  };
}

/**
 * What the catalog module may emit of the graph. Inactive users are
 * withheld: that is how deactivation removes them from the catalog. So are
 * records held back by the ownership decision; memberships that name refs
 * the decision does not link are left out.
 */
export function toRecordSet(
  graph: EntityGraph,
  settings: IdpSettings,
  decision: OwnershipDecision,
): ScimRecordSet {
  const records: ScimRecordSet = { users: [], groups: [], withheld: [] };
  for (const user of graph.users) {
    const entityRef = entityRefOf(settings, 'User', user.idp, user.entityName);
    if (user.active && decision.emit.has(entityRef)) {
      records.users.push(userRecord(user, graph, settings, decision));
    } else {
      records.withheld.push({ entityRef, idp: user.idp });
    }
  }
  for (const group of graph.groups) {
    const entityRef = entityRefOf(
      settings,
      'Group',
      group.idp,
      group.entityName,
    );
    if (decision.emit.has(entityRef)) {
      records.groups.push(groupRecord(group, graph, settings, decision));
    } else {
      records.withheld.push({ entityRef, idp: group.idp });
    }
  }
  return records;
}
