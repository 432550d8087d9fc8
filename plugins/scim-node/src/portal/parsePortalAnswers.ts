import { JsonObject } from '@backstage/types';
import {
  ScimAdoption,
  ScimConflict,
  ScimDeactivation,
  ScimHeldMembership,
  ScimHistoryEntry,
} from './ScimPortalApi';

// The scim plugin may be of another version than this library: answers are
// checked, and list entries of an unknown shape are left out rather than
// passed on with the wrong type.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';

const isResourceType = (value: unknown): value is 'User' | 'Group' =>
  value === 'User' || value === 'Group';

function itemsOf(body: unknown): unknown[] {
  const items = isRecord(body) ? body.items : undefined;
  if (!Array.isArray(items)) {
    throw new Error('the answer has no items array');
  }
  return items;
}

function toConflict(item: unknown): ScimConflict | undefined {
  if (
    !isRecord(item) ||
    !isString(item.idp) ||
    !isResourceType(item.resourceType) ||
    !isString(item.resourceId) ||
    !isString(item.entityRef) ||
    !isString(item.otherOrigin) ||
    !isString(item.detectedAt)
  ) {
    return undefined;
  }
  return {
    idp: item.idp,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    entityRef: item.entityRef,
    otherOrigin: item.otherOrigin,
    detectedAt: item.detectedAt,
  };
}

function toHistoryEntry(item: unknown): ScimHistoryEntry | undefined {
  if (
    !isRecord(item) ||
    !isString(item.idp) ||
    !isResourceType(item.resourceType) ||
    !isString(item.resourceId) ||
    !isString(item.entityRef) ||
    !isString(item.action) ||
    !isString(item.at)
  ) {
    return undefined;
  }
  const conflict = isRecord(item.conflict)
    ? toConflict({ ...item, ...item.conflict })
    : undefined;
  return {
    idp: item.idp,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    entityRef: item.entityRef,
    action: item.action as ScimHistoryEntry['action'],
    at: item.at,
    ...(isRecord(item.details) ? { details: item.details as JsonObject } : {}),
    ...(conflict
      ? {
          conflict: {
            entityRef: conflict.entityRef,
            otherOrigin: conflict.otherOrigin,
            detectedAt: conflict.detectedAt,
          },
        }
      : {}),
  };
}

/** `GET /history`: `{ items }`. */
export function parseHistory(body: unknown): ScimHistoryEntry[] {
  return itemsOf(body).flatMap(item => toHistoryEntry(item) ?? []);
}

/** `GET /conflicts`: `{ items }`. */
export function parseConflicts(body: unknown): ScimConflict[] {
  return itemsOf(body).flatMap(item => toConflict(item) ?? []);
}

/** `GET /conflicts/memberships`: `{ items }`. */
export function parseHeldMemberships(body: unknown): ScimHeldMembership[] {
  return itemsOf(body).flatMap(item => {
    const conflict = isRecord(item) ? toConflict(item.conflict) : undefined;
    return conflict && isRecord(item) && isString(item.memberRef)
      ? [{ memberRef: item.memberRef, conflict }]
      : [];
  });
}

/** `POST /portal/users/:idp/:id/deactivate`. */
export function parseDeactivation(body: unknown): ScimDeactivation {
  if (
    !isRecord(body) ||
    !isString(body.id) ||
    !isString(body.idp) ||
    typeof body.active !== 'boolean'
  ) {
    throw new Error('the answer is not a deactivated user');
  }
  return { id: body.id, idp: body.idp, active: body.active };
}

/** `POST /conflicts/:idp/:id/adopt`. */
export function parseAdoption(body: unknown): ScimAdoption {
  if (
    !isRecord(body) ||
    !isString(body.idp) ||
    !isResourceType(body.resourceType) ||
    !isString(body.resourceId) ||
    !isString(body.entityRef) ||
    !isString(body.adoptedFrom) ||
    !isString(body.adoptedBy)
  ) {
    throw new Error('the answer is not an adoption');
  }
  return {
    idp: body.idp,
    resourceType: body.resourceType,
    resourceId: body.resourceId,
    entityRef: body.entityRef,
    adoptedFrom: body.adoptedFrom,
    adoptedBy: body.adoptedBy,
  };
}
