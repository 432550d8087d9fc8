import { ScimConflict } from '@identity-governance/plugin-scim-node';
import { ScimClaim, StoredGroup, StoredUser } from './ScimStore';

/** A row as knex returns it. */
export type Row = Record<string, any>;

/** Keeps statements under SQLite's bound-parameter limit. */
const CHUNK = 200;

export function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    result.push(items.slice(i, i + CHUNK));
  }
  return result;
}

/** A nullable text column's value. */
export const str = (v: unknown) =>
  v === undefined || v === null ? null : String(v);

export function toUser(row: Row): StoredUser {
  return {
    id: row.id,
    idp: row.idp,
    userName: row.user_name,
    externalId: row.external_id ?? undefined,
    active: Boolean(row.active),
    entityName: row.entity_name,
    resource: JSON.parse(row.resource),
    created: row.created_at,
    lastModified: row.updated_at,
    version: Number(row.version),
  };
}

export function toGroup(row: Row): StoredGroup {
  return {
    id: row.id,
    idp: row.idp,
    displayName: row.display_name,
    externalId: row.external_id ?? undefined,
    entityName: row.entity_name,
    resource: JSON.parse(row.resource),
    created: row.created_at,
    lastModified: row.updated_at,
    version: Number(row.version),
  };
}

export function toClaim(row: Row): ScimClaim {
  return {
    entityRef: row.entity_ref,
    idp: row.idp,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    claimedAt: row.claimed_at,
    adoptedFrom: row.adopted_from ?? undefined,
    adoptedBy: row.adopted_by ?? undefined,
  };
}

export function toConflict(row: Row): ScimConflict {
  return {
    idp: row.idp,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    entityRef: row.entity_ref,
    otherOrigin: row.other_origin,
    detectedAt: row.detected_at,
  };
}
