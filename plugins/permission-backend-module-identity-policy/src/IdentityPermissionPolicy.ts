import {
  BackstageUserPrincipal,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  GroupMembership,
  MembershipResolver,
  UserMemberships,
} from '@identity-governance/plugin-identity-node';
import { AuthorizeRequestContext } from './AuthorizeRequestContext';
import { IdentityPolicyConfig, PolicyRule } from './readIdentityPolicyConfig';

/**
 * Options for {@link IdentityPermissionPolicy}.
 *
 * @public
 */
export interface IdentityPermissionPolicyOptions {
  config: IdentityPolicyConfig;
  resolver: MembershipResolver;
  logger: LoggerService;
  /** Supplies resourceRefs for the decision log; optional. */
  requestContext?: AuthorizeRequestContext;
}

interface Outcome {
  decision: PolicyDecision;
  reason: string;
  user?: string;
  /** The membership path an ALLOW rests on. */
  grantPath?: string[];
}

const ALLOW = { result: AuthorizeResult.ALLOW } as const;
const DENY = { result: AuthorizeResult.DENY } as const;

/**
 * Guards destructive catalog operations and the Identity page by group
 * membership, resolved from the catalog (nested groups included), and fails
 * closed.
 *
 * @remarks
 *
 * The user's sign-in claims (`user.info.ownershipEntityRefs`, what
 * `coreServices.userInfo` returns) are not used: they hold the memberships
 * of sign-in time, and a user removed from an admin group must lose access
 * without signing out. Only the user entity ref is taken, from the verified
 * credentials' principal.
 *
 * @public
 */
export class IdentityPermissionPolicy implements PermissionPolicy {
  readonly #options: IdentityPermissionPolicyOptions;
  readonly #adminGroups: ReadonlySet<string>;
  readonly #ruleGroups: ReadonlyMap<PolicyRule, ReadonlySet<string>>;
  /**
   * Memberships being resolved, by credentials object, for reads that accept
   * a stale user entity and for fresh ones. The permission backend calls
   * `handle` for every item of a batch in the same turn of the event loop
   * with one credentials object, so a batch of 100 resolves the user once;
   * the maps are emptied on the next turn, so nothing outlives the batch.
   */
  #batch = {
    stale: new Map<unknown, Promise<UserMemberships>>(),
    fresh: new Map<unknown, Promise<UserMemberships>>(),
    verified: new Map<string, Promise<boolean>>(),
  };
  #clearScheduled = false;

  constructor(options: IdentityPermissionPolicyOptions) {
    this.#options = options;
    this.#adminGroups = new Set(options.config.adminGroups);
    this.#ruleGroups = new Map(
      options.config.rules.map(r => [r, new Set(r.allowGroups)]),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    // Once per call, before any await: see AuthorizeRequestContext.
    const resourceRef = this.#options.requestContext?.takeResourceRef(
      user?.credentials,
      request.permission,
    );
    const { permission } = request;
    const { config } = this.#options;
    const guarded = config.guardedPermissions.has(permission.name);

    if (!guarded && user && config.defaultDecision === 'allow') {
      return ALLOW;
    }

    let outcome: Outcome;
    try {
      outcome = await this.#decide(permission, guarded, user);
    } catch (error) {
      outcome = {
        decision: DENY,
        reason: `error while deciding, denied: ${error}`,
      };
      this.#options.logger.error('identity-policy decision failed', {
        permission: permission.name,
        resourceRef: formatRef(resourceRef),
        error: String(error),
      });
    }

    if (guarded) {
      this.#options.logger.info('identity-policy decision', {
        user: outcome.user ?? (user ? 'unknown' : 'unauthenticated'),
        permission: permission.name,
        resourceRef: formatRef(resourceRef),
        result: outcome.decision.result,
        reason: outcome.reason,
      });
    }
    return outcome.decision;
  }

  #membershipsOf(
    user: PolicyQueryUser,
    allowStale: boolean,
  ): Promise<UserMemberships> {
    return this.#once(
      allowStale ? this.#batch.stale : this.#batch.fresh,
      user.credentials,
      () => {
        // The ref comes from the verified credentials. `userInfo` would add
        // only the sign-in ownership claims, which this policy must not use.
        const { userEntityRef } = user.credentials
          .principal as BackstageUserPrincipal;
        return this.#options.resolver.getUserMemberships(userEntityRef, {
          allowStale,
        });
      },
    );
  }

  /**
   * The promise `map` holds for `key`, or a new one from `create`. Every
   * entry is dropped on the next turn of the event loop, whichever map holds
   * it, so no answer is reused beyond the batch it was made for.
   */
  #once<K, V>(
    map: Map<K, Promise<V>>,
    key: K,
    create: () => Promise<V>,
  ): Promise<V> {
    let pending = map.get(key);
    if (!pending) {
      if (!this.#clearScheduled) {
        this.#clearScheduled = true;
        setImmediate(() => {
          this.#clearScheduled = false;
          this.#batch.stale.clear();
          this.#batch.fresh.clear();
          this.#batch.verified.clear();
        });
      }
      pending = create();
      map.set(key, pending);
    }
    return pending;
  }

  async #decide(
    permission: Permission,
    guarded: boolean,
    user: PolicyQueryUser | undefined,
  ): Promise<Outcome> {
    if (!user) {
      return { decision: DENY, reason: 'unauthenticated' };
    }
    // Memberships older than the cache window can only lack ones gained
    // since (bounded by grantLatencySeconds) or still hold ones removed
    // since. So a denial may rest on them; a grant stands only once its path
    // holds in entities within the cache window, and anything else is
    // decided again on fresh memberships. Removals keep taking effect within
    // the cache window.
    const memberships = await this.#membershipsOf(user, true);
    const outcome = this.#evaluate(permission, guarded, memberships);
    if (memberships.fresh || outcome.decision.result === AuthorizeResult.DENY) {
      return outcome;
    }
    if (outcome.grantPath) {
      if (await this.#verify(outcome.grantPath)) {
        return outcome;
      }
    } else if (outcome.decision.result === AuthorizeResult.ALLOW) {
      return outcome; // the default decision: no membership involved
    }
    return this.#evaluate(
      permission,
      guarded,
      await this.#membershipsOf(user, false),
    );
  }

  /** `verifyPath`, once per path within one batch. */
  #verify(path: string[]): Promise<boolean> {
    return this.#once(this.#batch.verified, path.join(' '), () =>
      this.#options.resolver.verifyPath(path),
    );
  }

  #evaluate(
    permission: Permission,
    guarded: boolean,
    memberships: UserMemberships,
  ): Outcome {
    const userRef = memberships.userEntityRef;

    const admin = findGroup(memberships, this.#adminGroups);
    if (admin) {
      return {
        decision: ALLOW,
        user: userRef,
        reason: `admin group ${describe(admin)}`,
        grantPath: admin.path,
      };
    }

    const rules = this.#options.config.rules.filter(r =>
      ruleMatches(r, permission),
    );
    for (const rule of rules) {
      const via = findGroup(memberships, this.#ruleGroups.get(rule)!);
      if (via) {
        return {
          decision: ALLOW,
          user: userRef,
          reason: `${rule.key} allows ${describe(via)}`,
          grantPath: via.path,
        };
      }
    }

    const ownerRule = rules.find(r => r.allowOwners);
    if (
      ownerRule &&
      isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
    ) {
      // The same claims feed the in-memory check (with a resourceRef) and
      // the database filter (DELETE /entities/by-uid); both compare against
      // lowercase `relations.ownedBy` refs, which these are.
      const claims = [userRef, ...memberships.groupRefs];
      return {
        decision: createCatalogConditionalDecision(
          permission,
          catalogConditions.isEntityOwner({ claims }),
        ),
        user: userRef,
        reason: `${ownerRule.key} allows owners of the entity (${claims.length} claims)`,
      };
    }

    if (!guarded) {
      const allowed = this.#options.config.defaultDecision === 'allow';
      return {
        decision: allowed ? ALLOW : DENY,
        user: userRef,
        reason: 'default decision',
      };
    }
    const ignored = memberships.ignored.length
      ? `; ${memberships.ignored.length} memberships of untrusted origin ignored`
      : '';
    return {
      decision: DENY,
      user: userRef,
      reason: `not in an allowed group${
        memberships.userFound ? '' : ' (no such user in the catalog)'
      }${ignored}`,
    };
  }
}

function ruleMatches(rule: PolicyRule, permission: Permission): boolean {
  if (rule.permission !== undefined && rule.permission !== permission.name) {
    return false;
  }
  if (
    rule.action !== undefined &&
    rule.action !== permission.attributes.action
  ) {
    return false;
  }
  if (
    rule.resourceType !== undefined &&
    !isResourcePermission(permission, rule.resourceType)
  ) {
    return false;
  }
  return true;
}

/** The first membership of the user in one of `groups`. */
function findGroup(
  memberships: UserMemberships,
  groups: ReadonlySet<string>,
): GroupMembership | undefined {
  if (!groups.size) {
    return undefined;
  }
  return memberships.memberships.find(m => groups.has(m.groupRef));
}

/** `group` or `group via a -> b`, for the decision log. */
function describe(membership: GroupMembership): string {
  return membership.direct
    ? membership.groupRef
    : `${membership.groupRef} via ${membership.path.slice(1, -1).join(' -> ')}`;
}

function formatRef(ref: string | string[] | undefined) {
  return Array.isArray(ref) ? ref.join(',') : ref;
}
