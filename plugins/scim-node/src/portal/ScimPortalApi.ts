import { JsonObject } from '@backstage/types';

/**
 * The kinds of SCIM resources.
 *
 * @public
 */
export type ScimResourceType = 'User' | 'Group';

/**
 * What provisioning did, as recorded in the history.
 *
 * @public
 */
export type ScimAction =
  | 'created'
  | 'updated'
  | 'deactivated'
  | 'reactivated'
  | 'deleted'
  /** Held back: another source provides or provided the entity ref. */
  | 'conflict'
  /** The entity ref was adopted from another source (admin or config). */
  | 'adopted';

/**
 * A SCIM record held back because another source provides or provided its
 * entity ref. It stays until an admin adopts the ref or config allows it.
 *
 * @public
 */
export interface ScimConflict {
  /** The identity provider that sent the record. */
  idp: string;
  /** Whether the record is a User or a Group. */
  resourceType: ScimResourceType;
  /** The SCIM id of the record. */
  resourceId: string;
  /** The contested entity ref. */
  entityRef: string;
  /**
   * `backstage.io/managed-by-origin-location` of the other source's entity,
   * or `scim:<idp>` for a ref another SCIM IdP claimed before.
   */
  otherOrigin: string;
  /** When the conflict was found (ISO 8601). */
  detectedAt: string;
}

/**
 * A membership a held group declares: the IdP sent it, and nobody emits it
 * while the group is held back as a conflict.
 *
 * @public
 */
export interface ScimHeldMembership {
  /** The entity ref the IdP emits for the member, lower-cased. */
  memberRef: string;
  /** The held group's conflict. */
  conflict: ScimConflict;
}

/**
 * One change recorded in the provisioning history.
 *
 * @public
 */
export interface ScimHistoryEntry {
  /** The identity provider the record belongs to. */
  idp: string;
  /** Whether the record is a User or a Group. */
  resourceType: ScimResourceType;
  /** The SCIM id of the record. */
  resourceId: string;
  /** The entity ref the record had then, lower-cased. */
  entityRef: string;
  /** What happened. */
  action: ScimAction;
  /** When it happened (ISO 8601). */
  at: string;
  /** What else was recorded: who deactivated, what it was renamed from, ... */
  details?: JsonObject;
  /** Set while the record is held back as a conflict. */
  conflict?: Pick<ScimConflict, 'entityRef' | 'otherOrigin' | 'detectedAt'>;
}

/**
 * The answer to a deactivation: the user's state afterwards.
 *
 * @public
 */
export interface ScimDeactivation {
  /** The SCIM id of the user. */
  id: string;
  /** The identity provider the user belongs to. */
  idp: string;
  /** The user's SCIM `active` attribute afterwards: false. */
  active: boolean;
}

/**
 * The answer to an adoption.
 *
 * @public
 */
export interface ScimAdoption {
  /** The identity provider of the adopted record. */
  idp: string;
  /** Whether the record is a User or a Group. */
  resourceType: ScimResourceType;
  /** The SCIM id of the record. */
  resourceId: string;
  /** The entity ref the record took over. */
  entityRef: string;
  /** The origin of the source the ref was taken from. */
  adoptedFrom: string;
  /** Who allowed it. */
  adoptedBy: string;
}

/**
 * The scim plugin's portal API (`/api/scim/history`, `/conflicts`,
 * `/portal/...`), for backend plugins. Calls are made with the caller's own
 * service credentials.
 *
 * Methods throw `@backstage/errors` errors: `NotFoundError` when the scim
 * plugin has no such record, `NotAllowedError` when it refuses the caller,
 * `InputError` for a rejected request, `ConflictError` for a concurrent
 * change, `ServiceUnavailableError` when it cannot be reached, fails or
 * answers something unreadable, and `NotImplementedError` when no scim plugin
 * is installed in the backend.
 *
 * @public
 */
export interface ScimPortalApi {
  /**
   * Deactivates a user for the portal (offboarding): its entity leaves the
   * catalog and stays gone until its IdP reactivates it. `requestedBy` (the
   * user the caller acts for) goes into the history.
   */
  deactivateUser(request: {
    idp: string;
    id: string;
    requestedBy?: string;
  }): Promise<ScimDeactivation>;
  /**
   * The history of one record, newest first: by SCIM id (exact, across
   * renames) or by the entity ref it had.
   */
  getHistory(
    query: { resourceId: string } | { entityRef: string },
  ): Promise<ScimHistoryEntry[]>;
  /**
   * The records held back as conflicts, oldest first: every one, those over
   * one entity ref, or (`memberRef`) the held groups whose members include
   * the user its IdP emits at that ref. Refs compare case-insensitively.
   */
  listConflicts(filter?: {
    entityRef?: string;
    memberRef?: string;
  }): Promise<ScimConflict[]>;
  /**
   * Every membership the held groups declare, one per member the IdP emits,
   * ordered by member ref: what the Identity index shows as memberships
   * that do not count for the reason `conflict`.
   */
  listHeldMemberships(): Promise<ScimHeldMembership[]>;
  /**
   * Resolves a conflict in favour of the SCIM record: it takes over the
   * entity ref. `requestedBy` (the user the caller acts for) is recorded.
   */
  adoptConflict(request: {
    idp: string;
    id: string;
    requestedBy?: string;
  }): Promise<ScimAdoption>;
}
