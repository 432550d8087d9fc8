import { JsonObject } from '@backstage/types';

/**
 * A committed SCIM change: the records it touched, for the catalog module to
 * read again.
 *
 * @public
 */
export interface ScimChangeEvent {
  /** The identity provider that made the change. */
  idp: string;
  /**
   * SCIM ids of the users whose entities may have changed; with a user that
   * was renamed, deactivated, reactivated or deleted, the users it manages.
   */
  userIds: string[];
  /** SCIM ids of the groups whose entities may have changed. */
  groupIds: string[];
  /** Entity refs that may no longer be emitted (deleted, renamed). */
  previousRefs: string[];
}

/**
 * What every SCIM record carries, whatever its type.
 *
 * @public
 */
export interface ScimRecordBase {
  /** The SCIM `id`. */
  id: string;
  /** The identity provider that provisioned it. */
  idp: string;
  /** Where its entity lives: `user:<namespace>/<name>`, lower-cased. */
  entityRef: string;
  /** The entity's namespace (the IdP's, as configured). */
  namespace: string;
  /** The entity's name, derived from userName or displayName. */
  name: string;
  /** The IdP's own identifier, when it sent one. */
  externalId?: string;
  /** When it was provisioned (ISO 8601). */
  created: string;
  /** When it last changed (ISO 8601). */
  lastModified: string;
}

/**
 * A SCIM user that the catalog may show.
 *
 * @public
 */
export interface ScimUserRecord extends ScimRecordBase {
  /** The SCIM `userName`, unique per IdP. */
  userName: string;
  /**
   * The SCIM User resource as stored (`name`, `displayName`, `emails`,
   * `photos`, the enterprise extension, ...), without id, meta and groups.
   */
  resource: JsonObject;
  /** Refs of the groups it is a direct member of, unsorted. */
  memberOf: string[];
  /**
   * The ref of its manager (the enterprise extension's `manager`), when that
   * is an active user of the same IdP that this IdP emits.
   */
  managerRef?: string;
}

/**
 * A SCIM group that the catalog may show.
 *
 * @public
 */
export interface ScimGroupRecord extends ScimRecordBase {
  /** The SCIM `displayName`, unique per IdP. */
  displayName: string;
  /** The entity's `spec.type` (the IdP's group type, as configured). */
  type: string;
  /** Refs of its direct user members, unsorted. */
  members: string[];
  /** Refs of its direct group members, unsorted. */
  children: string[];
}

/**
 * Records read from the SCIM store, after the scim plugin's ownership
 * decision: the users and groups listed own their entity refs, and their
 * memberships name only refs that are theirs to name.
 *
 * @public
 */
export interface ScimRecordSet {
  /** Active users to emit. */
  users: ScimUserRecord[];
  /** Groups to emit. */
  groups: ScimGroupRecord[];
  /**
   * Records that were read but are not to be emitted: deactivated users, and
   * records held back because another source provides their entity ref.
   * Whatever was emitted for them before is to be removed.
   */
  withheld: { entityRef: string; idp: string }[];
}

/**
 * What the scim plugin offers the catalog module.
 *
 * @public
 */
export interface ScimRecordSource {
  /**
   * Every record, or the records with the given ids and what their
   * memberships name.
   */
  readRecords(selection?: {
    userIds: string[];
    groupIds: string[];
  }): Promise<ScimRecordSet>;
  /** Called after every committed SCIM change. Returns an unsubscribe. */
  subscribe(listener: (change: ScimChangeEvent) => void): () => void;
}
