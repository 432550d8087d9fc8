import type { IdentityUser } from './apiTypes';

/**
 * What settled an access decision of the identity policy.
 *
 * - `admin-group`: the user is in one of `identityPolicy.adminGroups`.
 * - `rule`: a rule of `identityPolicy.rules` names one of the user's groups.
 * - `owners`: a rule allows owners of the catalog entity (a conditional
 *   decision; concrete when a resourceRef was given).
 * - `default`: the permission is not guarded; `identityPolicy.defaultDecision`.
 * - `not-in-allowed-group`: guarded, and none of the user's counted groups
 *   grants it.
 * - `unauthenticated`: no user (only the policy's own `handle` sees this).
 * - `error`: the decision failed (the catalog could not be read) and was
 *   denied.
 *
 * @public
 */
export type AccessDecisionKind =
  | 'admin-group'
  | 'rule'
  | 'owners'
  | 'default'
  | 'not-in-allowed-group'
  | 'unauthenticated'
  | 'error';

/**
 * The result of one access decision: `conditional` only for an owner rule
 * asked about without a resourceRef.
 *
 * @public
 */
export type AccessResult = 'allow' | 'deny' | 'conditional';

/**
 * What settled a decision, and by which config entry.
 *
 * @public
 */
export interface AccessDecidedBy {
  /** What kind of thing settled it. */
  kind: AccessDecisionKind;
  /** The rule's config key, e.g. `identityPolicy.rules[0]` (kind `rule`, `owners`). */
  rule?: string;
  /** The granting group (kind `admin-group`, `rule`). */
  group?: string;
}

/**
 * One edge of a membership path: `from` is a member of `to`.
 *
 * @public
 */
export interface AccessPathEdge {
  /** The member: the user, or a child group. */
  from: string;
  /** The group. */
  to: string;
  /**
   * The entity whose declaration made the edge (the member's `memberOf` /
   * `spec.memberOf`, or the group's `spec.members` / `spec.children`);
   * `'unknown'` when the membership engine gave no per-edge sources.
   */
  declaredBy: string;
  /** The declaring entity's origin location, when known. */
  origin?: string;
  /** The trusted directory the edge counted in, when the engine names one. */
  directory?: string;
}

/**
 * A membership the user has declared somewhere that did not count (for
 * example: declared by an entity of an untrusted origin), and would have
 * granted the permission had it counted.
 *
 * @public
 */
export interface AccessUncountedMembership {
  /** The group the declaration would have made the user a member of. */
  groupRef: string;
  /** The entity that declared it (the user itself, or a group). */
  declaredBy: string;
  /** The declaring entity's origin location, when it has one. */
  origin?: string;
  /** Why it did not count, in words. */
  reason: string;
}

/**
 * The identity policy's decision for one user and one permission, with why.
 * Computed by the policy's own decision code, so it equals what
 * `POST /api/permission/authorize` answers.
 *
 * @public
 */
export interface AccessExplanation {
  /** The permission's name, e.g. `catalog.entity.delete`. */
  permission: string;
  /** The entity the question was about, for resource permissions. */
  resourceRef?: string;
  /** Allow, deny, or conditional (an owner rule without a `resourceRef`). */
  result: AccessResult;
  /** What settled the decision. */
  decidedBy: AccessDecidedBy;
  /**
   * The same text as the `reason` of the policy's decision record
   * (`permission.policy-decision`). For an owner rule evaluated against a
   * `resourceRef`, followed by what the entity's owners gave, for example
   * `component:default/x is owned by the user or one of its groups`.
   */
  reason: string;
  /**
   * The membership path the grant rests on, user first, edge by edge. Absent
   * when no membership decided (default decision, denial).
   */
  path?: AccessPathEdge[];
  /** Memberships that would have granted the permission but did not count. */
  uncounted?: AccessUncountedMembership[];
}

/**
 * A permission the identity policy guards, and what grants it.
 *
 * @public
 */
export interface GuardedPermissionInfo {
  /** The permission's name. */
  name: string;
  /** Its resource type, for resource permissions (`catalog-entity`). */
  resourceType?: string;
  /** Its action attribute, when known. */
  action?: string;
  /** Groups that are granted everything (`identityPolicy.adminGroups`). */
  adminGroups: string[];
  /** The rules that match the permission, in config order. */
  rules: Array<{
    /** The rule's config key, e.g. `identityPolicy.rules[1]`. */
    rule: string;
    /** The groups the rule grants the permission to. */
    allowGroups: string[];
    /** Whether the rule grants it to owners of the catalog entity. */
    allowOwners: boolean;
  }>;
  /** True when a matching rule allows owners of the catalog entity. */
  ownersAllowed: boolean;
}

/**
 * `GET /access/permissions`.
 *
 * @public
 */
export interface GuardedPermissionsResponse {
  /** Every permission the policy guards. */
  items: GuardedPermissionInfo[];
}

/**
 * `GET /access/me` and `GET /access/users/:namespace/:name`: every guarded
 * permission, explained for one user.
 *
 * @public
 */
export interface UserAccessResponse {
  /** The user, as a lowercase entity ref. */
  userEntityRef: string;
  /** False when the catalog has no such user (then it belongs to no group). */
  userFound: boolean;
  /** One explanation per guarded permission. */
  items: AccessExplanation[];
}

/**
 * `POST /access/check`.
 *
 * @public
 */
export interface CheckAccessRequest {
  /** `user:default/ada` (kind and namespace default to `user`, `default`). */
  userEntityRef: string;
  /** A permission name, e.g. `catalog.entity.delete`. */
  permission: string;
  /** For resource permissions: the entity the question is about. */
  resourceRef?: string;
}

/**
 * One user allowed a permission (`GET /access/who-can/:permission`).
 *
 * @public
 */
export interface WhoCanItem {
  /** The user, as listed by `GET /users`. */
  user: IdentityUser;
  /** The group the grant rests on. */
  groupRef: string;
  /** The membership path from the user to that group, both included. */
  path: string[];
  /** The admin group or rule that grants it through that group. */
  decidedBy: AccessDecidedBy;
}

/**
 * A grant that depends on the resource (owners of the catalog entity), so it
 * is described rather than listed.
 *
 * @public
 */
export interface ConditionalGrantInfo {
  /** The rule's config key. */
  rule: string;
  /** E.g. `owners of the catalog entity (the user or one of its groups)`. */
  description: string;
}

/**
 * `GET /access/who-can/:permission`.
 *
 * @public
 */
export interface WhoCanResponse {
  /** The permission's name. */
  permission: string;
  /**
   * False when the policy does not guard it: everyone signed in is then
   * decided by `identityPolicy.defaultDecision`.
   */
  guarded: boolean;
  /**
   * True when every signed-in user is allowed (an unguarded permission with
   * `defaultDecision: allow`); `items` then lists nobody.
   */
  everyone: boolean;
  /** The users allowed, one page of them. */
  items: WhoCanItem[];
  /** How many users are allowed in all. */
  totalItems: number;
  /** The index of the first item of this page. */
  offset: number;
  /** The largest page asked for. */
  limit: number;
  /** Owner-based grants, described, not listed. */
  conditional?: ConditionalGrantInfo[];
}

/**
 * `POST /access/dry-run`.
 *
 * @public
 */
export interface DryRunRequest {
  /**
   * A proposed `identityPolicy` block, as YAML, with or without the
   * top-level `identityPolicy:` key.
   */
  yaml: string;
}

/**
 * One user who would gain or lose a permission.
 *
 * @public
 */
export interface DryRunUserChange {
  /** The user, as a lowercase entity ref. */
  userRef: string;
  /** The user entity's `metadata.name`. */
  name: string;
  /** `spec.profile.displayName`, when set. */
  displayName?: string;
  /** `spec.profile.email`, when set. */
  email?: string;
  /**
   * For a gain: the path to the proposed granting group; for a loss: the
   * path to the current one. Empty when the change is the default decision.
   */
  path: string[];
  /** What grants it (for a gain: in the proposal; for a loss: now). */
  decidedBy: AccessDecidedBy;
}

/**
 * What a proposed policy would change for one permission.
 *
 * @public
 */
export interface DryRunPermissionChange {
  /** The permission's name. */
  permission: string;
  /** Whether the live policy guards it. */
  guardedNow: boolean;
  /** Whether the proposed policy would guard it. */
  guardedProposed: boolean;
  /** Users who would gain it (capped; see `gainCount`). */
  gains: DryRunUserChange[];
  /** Users who would lose it (capped; see `lossCount`). */
  losses: DryRunUserChange[];
  /** How many users would gain it in all. */
  gainCount: number;
  /** How many users would lose it in all. */
  lossCount: number;
  /** Owner-based grants now, described, when they differ from the proposal. */
  conditionalNow?: ConditionalGrantInfo[];
  /** Owner-based grants proposed, described, when they differ from now. */
  conditionalProposed?: ConditionalGrantInfo[];
}

/**
 * `POST /access/dry-run`.
 *
 * @public
 */
export interface DryRunResponse {
  /** One entry per permission guarded now or in the proposal. */
  permissions: DryRunPermissionChange[];
  /** How many users each of `gains` and `losses` lists at most. */
  listLimit: number;
  /**
   * Config keys of the proposal that the dry-run does not simulate (it uses
   * the live membership engine), e.g. `identityPolicy.membership`.
   */
  notSimulated: string[];
}
