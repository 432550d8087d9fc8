/**
 * Where a user or group record comes from, derived from its provider
 * annotations and its `backstage.io/managed-by-location`.
 *
 * @public
 */
export type IdentitySource =
  | 'scim'
  | 'msgraph'
  | 'okta'
  | 'ldap'
  | 'github'
  | 'file'
  | 'url'
  | 'other';

/**
 * Every {@link IdentitySource}, in the order the page lists them.
 *
 * @public
 */
export const identitySources: readonly IdentitySource[] = [
  'scim',
  'msgraph',
  'okta',
  'ldap',
  'github',
  'file',
  'url',
  'other',
];

/**
 * A condition worth a reviewer's attention.
 *
 * - `orphaned`: no location or provider emits the record any more.
 * - `processingErrors`: the catalog recorded processing errors on it.
 * - `noGroups`: the user belongs to no group.
 * - `duplicateEmail`: another user has the same email (case-insensitive).
 * - `deactivated`: the SCIM module marked the record inactive.
 * - `uncountedMemberships`: someone declared a membership of the user that
 *   does not count (see {@link IdentityUncountedReason}).
 *
 * @public
 */
export type IdentityStatusFlag =
  | 'orphaned'
  | 'processingErrors'
  | 'noGroups'
  | 'duplicateEmail'
  | 'deactivated'
  | 'uncountedMemberships';

/**
 * Every {@link IdentityStatusFlag}, in the order the page lists them.
 *
 * @public
 */
export const identityStatusFlags: readonly IdentityStatusFlag[] = [
  'orphaned',
  'processingErrors',
  'noGroups',
  'duplicateEmail',
  'deactivated',
  'uncountedMemberships',
];

/**
 * Sort keys accepted by `GET /users`.
 *
 * @public
 */
export type IdentityUserSortField =
  | 'name'
  | 'displayName'
  | 'email'
  | 'source'
  | 'directGroupCount'
  | 'inheritedGroupCount';

/**
 * Every {@link IdentityUserSortField}.
 *
 * @public
 */
export const identityUserSortFields: readonly IdentityUserSortField[] = [
  'name',
  'displayName',
  'email',
  'source',
  'directGroupCount',
  'inheritedGroupCount',
];

/**
 * One row of the users table.
 *
 * @public
 */
export interface IdentityUser {
  /** Entity ref, lower case, e.g. `user:default/ada.admin`; the link target. */
  entityRef: string;
  /** The entity's `metadata.namespace`. */
  namespace: string;
  /** The entity's `metadata.name`. */
  name: string;
  /** `spec.profile.displayName`, when set. */
  displayName?: string;
  /** `spec.profile.email`, when set. */
  email?: string;
  /** Entity refs of the groups the user is a direct member of. */
  directGroups: string[];
  /** Number of groups the user belongs to only through nested groups. */
  inheritedGroupCount: number;
  /** Where the record comes from. */
  source: IdentitySource;
  /** The conditions worth a reviewer's attention; empty when none. */
  flags: IdentityStatusFlag[];
}

/**
 * A page of results.
 *
 * @public
 */
export interface IdentityPage<T> {
  /** The items of this page. */
  items: T[];
  /** How many items match in all. */
  totalItems: number;
  /** The index of the first item of this page. */
  offset: number;
  /** The page size applied. */
  limit: number;
}

/**
 * A user's membership in one group.
 *
 * @public
 */
export interface IdentityMembership {
  /** The group, as a lowercase entity ref. */
  groupRef: string;
  /** The group's `spec.profile.displayName`, when set. */
  groupDisplayName?: string;
  /** True when the user is a member of the group itself, not of a child. */
  direct: boolean;
  /**
   * The shortest chain from the user to the group, both included, e.g.
   * `[user:default/nina, group:default/team, group:default/platform-admins]`.
   */
  path: string[];
}

/**
 * A processing error the catalog recorded on the entity (`status.items`).
 *
 * @public
 */
export interface IdentityProcessingError {
  /** The status item's type, e.g. `backstage.io/catalog-processing`. */
  type?: string;
  /** The status item's level, e.g. `error`. */
  level?: string;
  /** What the catalog said. */
  message: string;
  /** The serialized error, when the catalog recorded one. */
  error?: { name?: string; message?: string; [key: string]: unknown };
}

/**
 * Provisioning history recorded by the SCIM module, when the record is one of
 * its own.
 *
 * @public
 */
export interface IdentityProvisioning {
  /** The identity provider that pushed the record, as configured. */
  idp?: string;
  /** The SCIM `id` of the resource. */
  scimId?: string;
  /** The identity provider's own id of the resource (SCIM `externalId`). */
  externalId?: string;
  /** The SCIM `userName` (users only). */
  userName?: string;
  /** When the resource was first provisioned (ISO 8601). */
  provisionedAt?: string;
  /** When the resource last changed (ISO 8601). */
  updatedAt?: string;
  /**
   * When the resource was deactivated (ISO 8601). No current source fills
   * it: the `deactivated` entry of `history` carries the time.
   */
  deactivatedAt?: string;
  /** The SCIM `active` attribute; false once deactivated. */
  active?: boolean;
  /**
   * What the SCIM module recorded for this resource, newest first. Absent
   * when only the entity's annotations were available (the SCIM module is
   * not installed, or its history could not be read).
   */
  history?: IdentityProvisioningHistoryEntry[];
}

/**
 * One change the SCIM module recorded for a resource.
 *
 * @public
 */
export interface IdentityProvisioningHistoryEntry {
  /** When it happened (ISO 8601). */
  at: string;
  /**
   * What happened: `created`, `updated`, `deactivated`, `reactivated` or
   * `deleted`.
   */
  action: string;
  /** The identity provider the resource belongs to. */
  idp: string;
  /**
   * What the SCIM module recorded with it, e.g. `deactivatedBy` (the user
   * who offboarded it from the Identity page) or `renamedFrom`.
   */
  details?: Record<string, unknown>;
  /** Set while the record is held back as a source conflict. */
  conflict?: { entityRef: string; otherOrigin: string; detectedAt: string };
}

/**
 * A SCIM record held back because another source provides, or provided, the
 * entity ref it would take (`GET /conflicts`). It is not in the catalog and
 * grants nothing until an admin adopts the ref for it, or the IdP's
 * `scim.identityProviders[].adoptFrom` allows that source.
 *
 * @public
 */
export interface IdentitySourceConflict {
  /** The identity provider that sent the record. */
  idp: string;
  /** Whether the record is a SCIM User or Group. */
  resourceType: 'User' | 'Group';
  /** The SCIM id of the record. */
  resourceId: string;
  /** The contested entity ref. */
  entityRef: string;
  /**
   * The other source: its entity's origin location, or `scim:<idp>` when
   * another identity provider claimed the ref first.
   */
  otherOrigin: string;
  /** When the conflict was found (ISO 8601). */
  detectedAt: string;
}

/**
 * Where a record came from.
 *
 * @public
 */
export interface IdentityProvenance {
  /** `backstage.io/managed-by-location`. */
  managedByLocation?: string;
  /** `backstage.io/managed-by-origin-location`. */
  originLocation?: string;
  /**
   * The catalog's ancestry chain, from the entity itself to the root that
   * emitted it (locations, providers). Empty when the catalog gave none.
   */
  ancestry: Array<{ entityRef: string; parentEntityRefs: string[] }>;
  /** Annotations that tell the provider (SCIM, msgraph, LDAP, GitHub, ...). */
  providerAnnotations: Record<string, string>;
  /** The catalog's processing errors on the entity; empty when none. */
  processingErrors: IdentityProcessingError[];
  /** Present when the SCIM module recorded the record's history. */
  provisioning?: IdentityProvisioning;
}

/**
 * `GET /users/:namespace/:name`.
 *
 * @public
 */
export interface IdentityUserDetail extends IdentityUser {
  /** The catalog entity uid, used to delete it. */
  uid?: string;
  /** Every group the user belongs to, direct and nested, nearest first. */
  memberships: IdentityMembership[];
  /**
   * Memberships someone declared that do not count, for the policy or the
   * page, with the reason: the place a self-promotion attempt shows up.
   */
  uncountedMemberships: IdentityUncountedMembership[];
  /**
   * SCIM records held back because they would take this user's entity ref,
   * which this user's source provides.
   */
  sourceConflicts?: IdentitySourceConflict[];
  /** Where the record came from. */
  provenance: IdentityProvenance;
}

/**
 * Why a declared membership does not count (see
 * `identityPolicy.directories` in the identity-node README):
 *
 * - `untrusted-origin`: the declaring entity, or the group, comes from an
 *   origin in no directory;
 * - `other-directory`: it points into a group of another directory, which
 *   the declaring entity's directory may not grant into;
 * - `unknown-group`: no such group in the catalog;
 * - `max-depth`: further above the user's direct groups than
 *   `identityPolicy.membership.maxDepth`;
 * - `cycle`: the step leads back to a group already on the path;
 * - `conflict`: declared by a SCIM group that is held back as a source
 *   conflict, because another source provides its entity ref; the identity
 *   provider does not provision that group, so the membership is never
 *   emitted.
 *
 * @public
 */
export type IdentityUncountedReason =
  | 'untrusted-origin'
  | 'other-directory'
  | 'unknown-group'
  | 'max-depth'
  | 'cycle'
  | 'conflict';

/**
 * A declared membership that does not count.
 *
 * @public
 */
export interface IdentityUncountedMembership {
  /** The group the declaration would have made the user a member of. */
  groupRef: string;
  /** Why it does not count. */
  reason: IdentityUncountedReason;
  /** The user ref, the counted groups on the way, then `groupRef`. */
  path: string[];
  /** The entity that declared the last step. */
  declaredBy: string;
  /** Its `backstage.io/managed-by-origin-location`. */
  origin?: string;
  /** Its directory; absent when the origin is in none. */
  directory?: string;
  /**
   * The groups above `groupRef` the declaration would have reached through
   * declared parents, counted or not: what a self-promotion was after.
   */
  reaches?: string[];
}

/**
 * A node of the group hierarchy (`GET /groups`).
 *
 * @public
 */
export interface IdentityGroupNode {
  /** The group, as a lowercase entity ref. */
  entityRef: string;
  /** The entity's `metadata.namespace`. */
  namespace: string;
  /** The entity's `metadata.name`. */
  name: string;
  /** `spec.profile.displayName`, when set. */
  displayName?: string;
  /** Users who are direct members. */
  directMemberCount: number;
  /** Users who are members directly or through nested child groups. */
  totalMemberCount: number;
  /** The child groups, each with its own children. */
  children: IdentityGroupNode[];
}

/**
 * `GET /groups`.
 *
 * @public
 */
export interface IdentityGroupTree {
  /** Groups without a known parent. A group in a parent cycle is shown as a root. */
  roots: IdentityGroupNode[];
  /** How many groups the tree holds in all. */
  totalGroups: number;
}

/**
 * A member of a group, directly or through nested groups.
 *
 * @public
 */
export interface IdentityGroupMember {
  /** The user, as a lowercase entity ref. */
  userRef: string;
  /** The user entity's `metadata.name`. */
  name: string;
  /** `spec.profile.displayName`, when set. */
  displayName?: string;
  /** `spec.profile.email`, when set. */
  email?: string;
  /** True when the user is a member of this group itself, not of a child. */
  direct: boolean;
  /** From the user to this group, both included. */
  path: string[];
}

/**
 * `GET /groups/:namespace/:name`.
 *
 * @public
 */
export interface IdentityGroupDetail {
  /** The group, as a lowercase entity ref. */
  entityRef: string;
  /** The entity's `metadata.namespace`. */
  namespace: string;
  /** The entity's `metadata.name`. */
  name: string;
  /** `spec.profile.displayName`, when set. */
  displayName?: string;
  /** The group's parent groups, as entity refs. */
  parentRefs: string[];
  /** The group's child groups, as entity refs. */
  childRefs: string[];
  /** Users who are direct members. */
  directMemberCount: number;
  /** Users who are members directly or through nested child groups. */
  totalMemberCount: number;
  /** Where the record comes from. */
  source: IdentitySource;
  /** `backstage.io/managed-by-location`. */
  managedByLocation?: string;
  /** One page of its members, direct and nested. */
  members: IdentityPage<IdentityGroupMember>;
}

/**
 * `GET /summary`.
 *
 * @public
 */
export interface IdentitySummary {
  /** How many users the index holds. */
  totalUsers: number;
  /** How many groups the index holds. */
  totalGroups: number;
  /** Users by where their record comes from. */
  bySource: Record<IdentitySource, number>;
  /** Users carrying each status flag (a user may carry several). */
  byStatus: Record<IdentityStatusFlag, number>;
  /**
   * When the last refresh from the catalog that finished started (ISO
   * 8601): the page shows the catalog as of then.
   */
  indexedAt?: string;
  /**
   * True when the page's data may be behind the catalog by more than its
   * stated freshness: the refreshes since `indexedAt` failed, none finished
   * within `identity.refresh.staleAfter`, or none ever did.
   */
  stale: boolean;
  /** The refreshes that failed since the last one that finished. */
  refreshFailure?: IdentityRefreshFailure;
}

/**
 * Refreshes of the index from the catalog that failed since the last one
 * that finished (the catalog unreachable, say).
 *
 * @public
 */
export interface IdentityRefreshFailure {
  /** When the first of them failed (ISO 8601). */
  since: string;
  /** When the last of them failed (ISO 8601). */
  at: string;
  /** The last one's error. */
  message: string;
}

/**
 * What offboarding a user will do (`GET /users/:namespace/:name/offboard`).
 *
 * @public
 */
export interface IdentityOffboardPreview {
  /** The user, as a lowercase entity ref. */
  entityRef: string;
  /** Where the user's record comes from. */
  source: IdentitySource;
  /** `backstage.io/managed-by-location`. */
  managedByLocation?: string;
  /** `backstage.io/managed-by-origin-location`. */
  originLocation?: string;
  /**
   * `delete`: the entity is deleted from the catalog.
   * `scimDeactivate`: the SCIM module owns the record and deactivates it.
   */
  action: 'delete' | 'scimDeactivate';
  /** True when the record's source still emits it and it will come back. */
  willReturn: boolean;
  /** Whether this backend can carry the action out. */
  supported: boolean;
  /** A sentence for the confirmation dialog. */
  message: string;
}

/**
 * The answer to `POST /users/:namespace/:name/offboard`.
 *
 * @public
 */
export interface IdentityOffboardResult {
  /** The user, as a lowercase entity ref. */
  entityRef: string;
  /** What was done (see {@link IdentityOffboardPreview.action}). */
  action: 'delete' | 'scimDeactivate';
  /** True when the record's source still emits it and it will come back. */
  willReturn: boolean;
  /** A sentence for the page, saying what was done. */
  message: string;
}
