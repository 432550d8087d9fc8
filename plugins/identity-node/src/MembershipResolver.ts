import { EdgeSource, UncountedReason } from './GroupGraph';

/**
 * One group a user belongs to, and how.
 *
 * @public
 */
export interface GroupMembership {
  /** The group, as a lowercase entity ref (`group:default/platform-admins`). */
  groupRef: string;
  /** True when the user is a member of the group itself, not of a child group. */
  direct: boolean;
  /**
   * The shortest chain from the user to the group: the user ref first, then
   * each group on the way, ending with `groupRef`
   * (`user -> team -> department -> admin group`).
   */
  path: string[];
  /** Who declared each step of `path`: `edges[i]` leads from `path[i]`. */
  edges: MembershipEdge[];
}

/**
 * One step of a membership path, with the entity that declared it.
 *
 * @public
 */
export interface MembershipEdge extends EdgeSource {
  /** The user or group the step starts from. */
  from: string;
  /** The group it leads to. */
  to: string;
}

/**
 * A declared membership that does not count, with why. Shown beside the
 * counted ones, so that a membership someone declared to gain access is
 * visible instead of silently ignored.
 *
 * @public
 */
export interface UncountedMembership {
  /** The group the declaration would have made the user a member of. */
  groupRef: string;
  /** Why it does not count. */
  reason: UncountedReason;
  /**
   * The counted path up to where the declaration starts (the user ref, then
   * any groups), followed by `groupRef`.
   */
  path: string[];
  /** The entity that declared the edge into `groupRef`, and its source. */
  source: EdgeSource;
  /**
   * The groups above `groupRef` that the declaration would have reached,
   * following every declared parent edge, counted or not, within
   * `maxDepth` (at most 20): what a self-promotion was after.
   */
  reaches: string[];
}

/**
 * A membership edge that was ignored because the entity declaring it does not
 * come from a trusted origin.
 *
 * @public
 */
export interface IgnoredMembership {
  /** The group the declaration would have made the user a member of. */
  groupRef: string;
  /** The entity that declared it (the user itself, or the group). */
  declaredBy: string;
  /** That entity's origin location, when it has one. */
  origin?: string;
}

/**
 * The groups one user belongs to, resolved from the catalog.
 *
 * @public
 */
export interface UserMemberships {
  /** The user, as a lowercase entity ref. */
  userEntityRef: string;
  /** False when the catalog has no such user: it then belongs to no group. */
  userFound: boolean;
  /** Direct and inherited memberships, nearest first. */
  memberships: GroupMembership[];
  /** The lowercase refs of every group in `memberships`, for fast checks. */
  groupRefs: ReadonlySet<string>;
  /**
   * True when the walk up the group tree stopped at the configured depth
   * while there were more parent groups to follow.
   */
  truncated: boolean;
  /**
   * Direct memberships that did not count because of their origin or
   * directory (a subset of `uncounted`, kept for the policy's decision line).
   */
  ignored: IgnoredMembership[];
  /** Every declared membership that does not count, with its reason. */
  uncounted: UncountedMembership[];
  /**
   * False when the user's entity or the group graph is older than the cache
   * window; only `allowStale` reads return such answers.
   */
  fresh: boolean;
}

/**
 * Options of {@link MembershipResolver.getUserMemberships}.
 *
 * @public
 */
export interface MembershipReadOptions {
  /**
   * Accept a cached user entity and group graph older than the cache window
   * (up to the resolver's stale limit); `fresh` in the answer tells. Only for
   * decisions that a membership removed since could not have changed, such
   * as a denial; check a grant with `verifyPath`.
   */
  allowStale?: boolean;
}

/**
 * Resolves users' group memberships, direct and through nested groups, from
 * the catalog.
 *
 * @remarks
 *
 * Answers come from a short-lived cache shared by everything in the backend
 * process, so a membership removed in the catalog stops counting within the
 * cache window, whatever the user's sign-in token says.
 *
 * @public
 */
export interface MembershipResolver {
  /**
   * The groups a user belongs to. Throws when the catalog cannot be read and
   * nothing fresh enough is cached: callers deciding access must treat that
   * as "no".
   */
  getUserMemberships(
    userEntityRef: string,
    options?: MembershipReadOptions,
  ): Promise<UserMemberships>;
  /**
   * Whether a membership path (`GroupMembership.path`: the user ref, then
   * each group up to the last) holds in the user and group entities as they
   * are now, within the cache window: each edge declared by a trusted entity
   * on either end. Throws when the catalog cannot be read.
   */
  verifyPath(path: readonly string[]): Promise<boolean>;
}
