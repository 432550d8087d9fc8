import { GroupEntity, UserEntity } from '@backstage/catalog-model';
import { DeferredEntity } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import {
  ANNOTATION_SCIM_EXTERNAL_ID,
  ANNOTATION_SCIM_ID,
  ANNOTATION_SCIM_IDP,
  ANNOTATION_SCIM_MANAGER,
  ANNOTATION_SCIM_PROVISIONED_AT,
  ANNOTATION_SCIM_UPDATED_AT,
  ANNOTATION_SCIM_USER_NAME,
  ScimGroupRecord,
  ScimRecordBase,
  ScimRecordSet,
  ScimUserRecord,
  scimLocationOf,
} from '@identity-governance/plugin-scim-node';

function provenance(record: ScimRecordBase): Record<string, string> {
  const location = scimLocationOf(record.idp);
  return {
    'backstage.io/managed-by-location': location,
    'backstage.io/managed-by-origin-location': location,
    [ANNOTATION_SCIM_IDP]: record.idp,
    [ANNOTATION_SCIM_ID]: record.id,
    ...(record.externalId
      ? { [ANNOTATION_SCIM_EXTERNAL_ID]: record.externalId }
      : {}),
    [ANNOTATION_SCIM_PROVISIONED_AT]: record.created,
    [ANNOTATION_SCIM_UPDATED_AT]: record.lastModified,
  };
}

/** The primary item of a multi-valued attribute, else the first. */
function pick(items: unknown): JsonObject | undefined {
  if (!Array.isArray(items) || !items.length) {
    return undefined;
  }
  const list = items as JsonObject[];
  return list.find(i => i.primary === true) ?? list[0];
}

function userEntity(user: ScimUserRecord): UserEntity {
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
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name: user.name,
      namespace: user.namespace,
      ...(displayName ? { title: displayName } : {}),
      annotations: {
        ...provenance(user),
        [ANNOTATION_SCIM_USER_NAME]: user.userName,
        // Resolved by the scim plugin within this IdP's own users only.
        ...(user.managerRef
          ? { [ANNOTATION_SCIM_MANAGER]: user.managerRef }
          : {}),
      },
    },
    spec: {
      profile: {
        ...(displayName ? { displayName } : {}),
        ...(email ? { email } : {}),
        ...(picture ? { picture } : {}),
      },
      // Empty (the schema requires the list): each membership is declared
      // once, by its group's `spec.members`, from which the catalog makes the
      // relations both ways. A membership change then changes the group's
      // entity alone; listed here too, it changed every member's, and the
      // catalog processed each user again for every group it joined.
      memberOf: [],
    },
  };
}

function groupEntity(group: ScimGroupRecord): GroupEntity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: group.name,
      namespace: group.namespace,
      title: group.displayName,
      annotations: provenance(group),
    },
    spec: {
      type: group.type,
      profile: { displayName: group.displayName },
      children: [...group.children].sort(),
      members: [...group.members].sort(),
    },
  };
}

/**
 * Turns SCIM records into catalog entities, each under the location of its
 * identity provider (`scim:<idp>`). Which records are emitted, and which
 * memberships they name, the scim plugin has decided.
 */
export function buildEntities(records: ScimRecordSet): DeferredEntity[] {
  return [
    ...records.users.map(u => ({
      entity: userEntity(u),
      locationKey: scimLocationOf(u.idp),
    })),
    ...records.groups.map(g => ({
      entity: groupEntity(g),
      locationKey: scimLocationOf(g.idp),
    })),
  ];
}
