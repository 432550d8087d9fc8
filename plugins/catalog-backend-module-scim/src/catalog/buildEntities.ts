import {
  Entity,
  GroupEntity,
  UserEntity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { ScimIdentityProviderConfig } from '../config/ScimConfig';
import { EntityGraph, StoredGroup, StoredUser } from '../store/ScimStore';
import type { OwnershipCandidate, OwnershipDecision } from './EntityOwnership';
import {
  ANNOTATION_SCIM_EXTERNAL_ID,
  ANNOTATION_SCIM_ID,
  ANNOTATION_SCIM_IDP,
  ANNOTATION_SCIM_PROVISIONED_AT,
  ANNOTATION_SCIM_UPDATED_AT,
  ANNOTATION_SCIM_USER_NAME,
  SCIM_LOCATION_TYPE,
} from './annotations';

/** Per-IdP settings that shape the emitted entities. */
export type IdpSettings = (
  idp: string,
) => Pick<ScimIdentityProviderConfig, 'namespace' | 'groupType'>;

export function entityRefOf(
  settings: IdpSettings,
  kind: 'User' | 'Group',
  idp: string,
  name: string,
): string {
  return stringifyEntityRef({
    kind,
    namespace: settings(idp).namespace,
    name,
  }).toLocaleLowerCase('en-US');
}

export function locationKeyOf(idp: string): string {
  return `${SCIM_LOCATION_TYPE}:${idp}`;
}

function provenance(
  idp: string,
  id: string,
  externalId: string | undefined,
  created: string,
  lastModified: string,
): Record<string, string> {
  const location = locationKeyOf(idp);
  return {
    'backstage.io/managed-by-location': location,
    'backstage.io/managed-by-origin-location': location,
    [ANNOTATION_SCIM_IDP]: idp,
    [ANNOTATION_SCIM_ID]: id,
    ...(externalId ? { [ANNOTATION_SCIM_EXTERNAL_ID]: externalId } : {}),
    [ANNOTATION_SCIM_PROVISIONED_AT]: created,
    [ANNOTATION_SCIM_UPDATED_AT]: lastModified,
  };
}

function pick(items: unknown): JsonObject | undefined {
  if (!Array.isArray(items) || !items.length) {
    return undefined;
  }
  const list = items as JsonObject[];
  return list.find(i => i.primary === true) ?? list[0];
}

function userEntity(
  user: StoredUser,
  graph: EntityGraph,
  settings: IdpSettings,
  decision: OwnershipDecision,
): UserEntity {
  const r = user.resource;
  const name = (r.name ?? {}) as JsonObject;
  const displayName =
    (r.displayName as string | undefined) ??
    (name.formatted as string | undefined) ??
    ([name.givenName, name.familyName].filter(Boolean).join(' ') || undefined);
  const email =
    (pick(r.emails)?.value as string | undefined) ??
    (user.userName.includes('@') ? user.userName : undefined);
  const picture = pick(r.photos)?.value as string | undefined;
  const memberOf = (graph.groupsOf.get(user.id) ?? [])
    .map(id => graph.groupNames.get(id))
    .filter((g): g is { idp: string; entityName: string } => Boolean(g))
    .map(g => entityRefOf(settings, 'Group', g.idp, g.entityName))
    // Never a membership in a group this IdP does not emit as its own: the
    // catalog would add it to the other source's group.
    .filter(ref => decision.link.has(ref))
    .sort();
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name: user.entityName,
      namespace: settings(user.idp).namespace,
      ...(displayName ? { title: displayName } : {}),
      annotations: {
        ...provenance(
          user.idp,
          user.id,
          user.externalId,
          user.created,
          user.lastModified,
        ),
        [ANNOTATION_SCIM_USER_NAME]: user.userName,
      },
    },
    spec: {
      profile: {
        ...(displayName ? { displayName } : {}),
        ...(email ? { email } : {}),
        ...(picture ? { picture } : {}),
      },
      memberOf,
    },
  };
}

function groupEntity(
  group: StoredGroup,
  graph: EntityGraph,
  settings: IdpSettings,
  decision: OwnershipDecision,
): GroupEntity {
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
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: group.entityName,
      namespace: settings(group.idp).namespace,
      title: group.displayName,
      annotations: provenance(
        group.idp,
        group.id,
        group.externalId,
        group.created,
        group.lastModified,
      ),
    },
    spec: {
      type: settings(group.idp).groupType,
      profile: { displayName: group.displayName },
      children: children.sort(),
      members: members.sort(),
    },
  };
}

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
 * Turns stored SCIM resources into catalog entities. Inactive users are left
 * out: that is how deactivation removes them from the catalog. So are records
 * held back by the ownership decision, and memberships that name refs the
 * decision does not link.
 */
export function buildEntities(
  graph: EntityGraph,
  settings: IdpSettings,
  decision: OwnershipDecision,
): { entity: Entity; locationKey: string }[] {
  return [
    ...graph.users
      .filter(
        u =>
          u.active &&
          decision.emit.has(entityRefOf(settings, 'User', u.idp, u.entityName)),
      )
      .map(u => ({
        entity: userEntity(u, graph, settings, decision) as Entity,
        locationKey: locationKeyOf(u.idp),
      })),
    ...graph.groups
      .filter(g =>
        decision.emit.has(entityRefOf(settings, 'Group', g.idp, g.entityName)),
      )
      .map(g => ({
        entity: groupEntity(g, graph, settings, decision) as Entity,
        locationKey: locationKeyOf(g.idp),
      })),
  ];
}
