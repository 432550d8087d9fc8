import {
  BackstageUserPrincipal,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
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
  AccessDecisionKind,
  AccessExplanation,
  ConditionalGrantInfo,
  GuardedPermissionInfo,
} from '@identity-governance/plugin-identity-common';
import {
  AccessExplainer,
  AccessExplainRequest,
  GrantingGroups,
  GrantingGroupsOptions,
  GroupMembership,
  MembershipResolver,
  ProposedAccessExplainer,
  UserMemberships,
} from '@identity-governance/plugin-identity-node';
import { AuthorizeRequestContext } from './AuthorizeRequestContext';
import {
  evaluateConditions,
  pathEdgesOf,
  uncountedInto,
} from './explanationParts';
import {
  IdentityPolicyConfig,
  PolicyRule,
  readIdentityPolicyConfig,
} from './readIdentityPolicyConfig';

/**
 * Reads catalog entities for {@link IdentityPermissionPolicy.explain}, with
 * the policy's own credentials.
 *
 * @public
 */
export interface PolicyEntityReader {
  getEntityByRef(entityRef: string): Promise<Entity | undefined>;
}

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
  /**
   * Reads the entity an explanation of an owner rule is asked about; without
   * it such explanations stay `conditional`.
   */
  entities?: PolicyEntityReader;
}

/** What one run of the decision code found. */
interface Outcome {
  decision: PolicyDecision;
  reason: string;
  kind: AccessDecisionKind;
  user?: string;
  /** The rule that decided (kind `rule` or `owners`). */
  rule?: PolicyRule;
  /** The membership an ALLOW rests on. */
  grant?: GroupMembership;
}

/**
 * Filled in by the decision code for {@link IdentityPermissionPolicy.explain};
 * `handle` passes none, so its path neither allocates nor logs anything more.
 */
interface ExplanationSink {
  /** The memberships the final decision was made on. */
  memberships?: UserMemberships;
}

const ALLOW = { result: AuthorizeResult.ALLOW } as const;
const DENY = { result: AuthorizeResult.DENY } as const;
/** An unguarded permission under `defaultDecision: allow`. */
const DEFAULT_ALLOW: Outcome = {
  decision: ALLOW,
  reason: 'default decision',
  kind: 'default',
};

/** Bounds the rules remembered per permission. */
const MAX_REMEMBERED_PERMISSIONS = 1000;

/** Top-level `identityPolicy` keys the policy itself reads. */
const POLICY_KEYS = new Set([
  'adminGroups',
  'guardedPermissions',
  'defaultDecision',
  'rules',
  'knownPermissions',
]);

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
 * `explain` runs the same decision code as `handle` for any user, with an
 * explanation of what decided; it writes no decision line.
 *
 * @public
 */
export class IdentityPermissionPolicy
  implements PermissionPolicy, AccessExplainer
{
  readonly #options: IdentityPermissionPolicyOptions;
  readonly #adminGroups: ReadonlySet<string>;
  readonly #ruleGroups: ReadonlyMap<PolicyRule, ReadonlySet<string>>;
  /**
   * Memberships being resolved, by credentials object (or, for `explain`,
   * by user ref), for reads that accept a stale user entity and for fresh
   * ones. The permission backend calls `handle` for every item of a batch in
   * the same turn of the event loop with one credentials object, so a batch
   * of 100 resolves the user once; the maps are emptied on the next turn, so
   * nothing outlives the batch.
   */
  #batch = {
    stale: new Map<unknown, Promise<UserMemberships>>(),
    fresh: new Map<unknown, Promise<UserMemberships>>(),
    verified: new Map<string, Promise<boolean>>(),
  };
  #clearScheduled = false;
  readonly #rulesByPermission = new Map<string, PolicyRule[]>();

  constructor(options: IdentityPermissionPolicyOptions) {
    this.#options = options;
    this.#adminGroups = new Set(options.config.adminGroups);
    this.#ruleGroups = new Map(
      options.config.rules.map(r => [r, new Set(r.allowGroups)]),
    );
  }

  handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    // Once per call, before any await: see AuthorizeRequestContext.
    const resourceRef = this.#options.requestContext?.takeResourceRef(
      user?.credentials,
      request.permission,
    );
    const outcome = this.#run(
      request.permission,
      user?.credentials,
      user
        ? (user.credentials.principal as BackstageUserPrincipal).userEntityRef
        : undefined,
      resourceRef,
      undefined,
    );
    // The default decision comes back at once, not as a promise; the others
    // take no more promises than they did before explain shared this path.
    return outcome === DEFAULT_ALLOW
      ? Promise.resolve(ALLOW)
      : (outcome as Promise<Outcome>).then(decisionOf);
  }

  /**
   * The decision for one user and permission, by the code `handle` runs,
   * with what decided it. For an owner rule with a `resourceRef`, the
   * condition is evaluated against the entity, read from the catalog.
   */
  async explain(request: AccessExplainRequest): Promise<AccessExplanation> {
    const permission = this.#permission(request.permission);
    const userRef = normalizeRef(request.userEntityRef, 'user');
    const sink: ExplanationSink = {};
    // Keyed by the user ref: explanations for one user made in the same turn
    // resolve its memberships once, and never share a credentials' batch.
    const outcome = await this.#run(
      permission,
      userRef,
      userRef,
      request.resourceRef,
      sink,
    );

    const explanation: AccessExplanation = {
      permission: permission.name,
      result: 'deny',
      decidedBy: { kind: outcome.kind },
      reason: outcome.reason,
    };
    if (request.resourceRef) {
      explanation.resourceRef = request.resourceRef;
    }
    if (outcome.rule) {
      explanation.decidedBy.rule = outcome.rule.key;
    }
    if (outcome.grant) {
      explanation.decidedBy.group = outcome.grant.groupRef;
      explanation.path = pathEdgesOf(outcome.grant);
    }
    if (outcome.decision.result === AuthorizeResult.ALLOW) {
      explanation.result = 'allow';
    } else if (outcome.decision.result === AuthorizeResult.CONDITIONAL) {
      explanation.result = 'conditional';
      if (request.resourceRef && this.#options.entities) {
        const entity = await this.#options.entities.getEntityByRef(
          request.resourceRef,
        );
        const verdict = entity
          ? evaluateConditions(outcome.decision.conditions, entity)
          : false;
        explanation.result = verdict ? 'allow' : 'deny';
        let detail = `${request.resourceRef} is not in the catalog`;
        if (entity) {
          detail = verdict
            ? `${request.resourceRef} is owned by the user or one of its groups`
            : `${request.resourceRef} is not owned by the user or its groups`;
        }
        explanation.reason = `${outcome.reason}: ${detail}`;
      }
    }
    if (sink.memberships && explanation.result !== 'allow') {
      const uncounted = uncountedInto(
        sink.memberships,
        new Set(this.grantingGroups(permission.name).grants.map(g => g.group)),
      );
      if (uncounted.length) {
        explanation.uncounted = uncounted;
      }
    }
    return explanation;
  }

  /**
   * The groups that grant a permission: the admin groups, then the groups of
   * every rule that matches it, in the order the decision code tries them.
   */
  grantingGroups(
    permissionName: string,
    options?: GrantingGroupsOptions,
  ): GrantingGroups {
    const permission =
      options?.allowUnknown &&
      !this.#options.config.permissions.has(permissionName)
        ? createPermission({ name: permissionName, attributes: {} })
        : this.#permission(permissionName);
    const { config } = this.#options;
    const guarded = config.guardedPermissions.has(permission.name);
    const rules = this.#matchingRules(permission);
    const grants: GrantingGroups['grants'] = [];
    for (const group of config.adminGroups) {
      grants.push({ group, decidedBy: { kind: 'admin-group', group } });
    }
    for (const rule of rules) {
      for (const group of rule.allowGroups) {
        grants.push({
          group,
          decidedBy: { kind: 'rule', rule: rule.key, group },
        });
      }
    }
    return {
      permission: permission.name,
      guarded,
      everyone: !guarded && config.defaultDecision === 'allow',
      grants,
      conditional: this.#ownerGrants(permission, rules),
    };
  }

  guardedPermissions(): GuardedPermissionInfo[] {
    const { config } = this.#options;
    return [...config.guardedPermissions].sort().map(name => {
      const permission = this.#permission(name);
      const rules = this.#matchingRules(permission);
      const info: GuardedPermissionInfo = {
        name,
        adminGroups: [...config.adminGroups],
        rules: rules.map(r => ({
          rule: r.key,
          allowGroups: [...r.allowGroups],
          allowOwners: r.allowOwners,
        })),
        ownersAllowed: this.#ownerGrants(permission, rules).length > 0,
      };
      if (isResourcePermission(permission)) {
        info.resourceType = permission.resourceType;
      }
      if (permission.attributes.action) {
        info.action = permission.attributes.action;
      }
      return info;
    });
  }

  knownPermissions(): string[] {
    return [...this.#options.config.permissions.keys()].sort();
  }

  /**
   * A policy over a proposed `identityPolicy` block with this one's
   * membership engine, validated as at startup.
   */
  withProposedConfig(identityPolicy: unknown): ProposedAccessExplainer {
    if (
      identityPolicy === null ||
      typeof identityPolicy !== 'object' ||
      Array.isArray(identityPolicy)
    ) {
      throw new InputError(
        'Invalid identity policy config:\n  identityPolicy: must be a mapping of keys to values',
      );
    }
    let config: IdentityPolicyConfig;
    try {
      config = readIdentityPolicyConfig(
        new ConfigReader({ identityPolicy } as any, 'proposed identityPolicy'),
      );
    } catch (error) {
      if (error instanceof InputError) {
        throw error;
      }
      // Wrong value types: the config reader's own message, as at startup.
      throw new InputError((error as Error).message);
    }
    return {
      explainer: new IdentityPermissionPolicy({
        config,
        resolver: this.#options.resolver,
        logger: this.#options.logger,
        entities: this.#options.entities,
      }),
      notSimulated: Object.keys(identityPolicy)
        .filter(key => !POLICY_KEYS.has(key))
        .map(key => `identityPolicy.${key}`),
    };
  }

  /**
   * The one decision function: `handle` and `explain` both run it. With a
   * sink, it fills the sink in and writes no decision line.
   *
   * @param key - what memberships are batched under: the credentials object
   *   (`handle`) or the user ref (`explain`); undefined when unauthenticated
   */
  #run(
    permission: Permission,
    key: unknown,
    userEntityRef: string | undefined,
    resourceRef: string | string[] | undefined,
    sink: ExplanationSink | undefined,
  ): Outcome | Promise<Outcome> {
    const { config } = this.#options;
    const guarded = config.guardedPermissions.has(permission.name);

    if (!guarded && key !== undefined && config.defaultDecision === 'allow') {
      return DEFAULT_ALLOW;
    }
    return this.#runDecision(
      permission,
      guarded,
      key,
      userEntityRef,
      resourceRef,
      sink,
    );
  }

  async #runDecision(
    permission: Permission,
    guarded: boolean,
    key: unknown,
    userEntityRef: string | undefined,
    resourceRef: string | string[] | undefined,
    sink: ExplanationSink | undefined,
  ): Promise<Outcome> {
    let outcome: Outcome;
    try {
      outcome = await this.#decide(
        permission,
        guarded,
        key,
        userEntityRef!,
        sink,
      );
    } catch (error) {
      outcome = {
        decision: DENY,
        kind: 'error',
        reason: `error while deciding, denied: ${error}`,
      };
      this.#options.logger.error('identity-policy decision failed', {
        permission: permission.name,
        resourceRef: formatRef(resourceRef),
        error: String(error),
        ...(sink ? { explain: true } : undefined),
      });
    }

    if (guarded && !sink) {
      this.#options.logger.info('identity-policy decision', {
        user:
          outcome.user ?? (key !== undefined ? 'unknown' : 'unauthenticated'),
        permission: permission.name,
        resourceRef: formatRef(resourceRef),
        result: outcome.decision.result,
        reason: outcome.reason,
      });
    }
    return outcome;
  }

  #membershipsOf(
    key: unknown,
    userEntityRef: string,
    allowStale: boolean,
  ): Promise<UserMemberships> {
    return this.#once(
      allowStale ? this.#batch.stale : this.#batch.fresh,
      key,
      // The ref comes from the verified credentials. `userInfo` would add
      // only the sign-in ownership claims, which this policy must not use.
      () =>
        this.#options.resolver.getUserMemberships(userEntityRef, {
          allowStale,
        }),
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
    key: unknown,
    userEntityRef: string,
    sink: ExplanationSink | undefined,
  ): Promise<Outcome> {
    if (key === undefined) {
      return {
        decision: DENY,
        kind: 'unauthenticated',
        reason: 'unauthenticated',
      };
    }
    // Memberships older than the cache window can only lack ones gained
    // since (bounded by grantLatencySeconds) or still hold ones removed
    // since. So a denial may rest on them; a grant stands only once its path
    // holds in entities within the cache window, and anything else is
    // decided again on fresh memberships. Removals keep taking effect within
    // the cache window.
    const memberships = await this.#membershipsOf(key, userEntityRef, true);
    const outcome = this.#evaluate(permission, guarded, memberships, sink);
    if (memberships.fresh || outcome.decision.result === AuthorizeResult.DENY) {
      return outcome;
    }
    if (outcome.grant) {
      if (await this.#verify(outcome.grant.path)) {
        return outcome;
      }
    } else if (outcome.decision.result === AuthorizeResult.ALLOW) {
      return outcome; // the default decision: no membership involved
    }
    return this.#evaluate(
      permission,
      guarded,
      await this.#membershipsOf(key, userEntityRef, false),
      sink,
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
    sink: ExplanationSink | undefined,
  ): Outcome {
    if (sink) {
      sink.memberships = memberships;
    }
    const userRef = memberships.userEntityRef;

    const admin = findGroup(memberships, this.#adminGroups);
    if (admin) {
      return {
        decision: ALLOW,
        kind: 'admin-group',
        user: userRef,
        reason: `admin group ${describe(admin)}`,
        grant: admin,
      };
    }

    const rules = this.#matchingRules(permission);
    for (const rule of rules) {
      const via = findGroup(memberships, this.#ruleGroups.get(rule)!);
      if (via) {
        return {
          decision: ALLOW,
          kind: 'rule',
          user: userRef,
          reason: `${rule.key} allows ${describe(via)}`,
          rule,
          grant: via,
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
        kind: 'owners',
        user: userRef,
        rule: ownerRule,
        reason: `${ownerRule.key} allows owners of the entity (${claims.length} claims)`,
      };
    }

    if (!guarded) {
      const allowed = this.#options.config.defaultDecision === 'allow';
      return {
        decision: allowed ? ALLOW : DENY,
        kind: 'default',
        user: userRef,
        reason: 'default decision',
      };
    }
    const ignored = memberships.ignored.length
      ? `; ${memberships.ignored.length} memberships of untrusted origin ignored`
      : '';
    return {
      decision: DENY,
      kind: 'not-in-allowed-group',
      user: userRef,
      reason: `not in an allowed group${
        memberships.userFound ? '' : ' (no such user in the catalog)'
      }${ignored}`,
    };
  }

  /**
   * The rules matching a permission, remembered by what they match on: the
   * config never changes, and every guarded decision asks. Bounded, as any
   * signed-in caller may name any permission.
   */
  #matchingRules(permission: Permission): PolicyRule[] {
    const key = `${permission.name}\u0000${
      permission.attributes.action ?? ''
    }\u0000${isResourcePermission(permission) ? permission.resourceType : ''}`;
    let rules = this.#rulesByPermission.get(key);
    if (!rules) {
      rules = this.#options.config.rules.filter(r =>
        ruleMatches(r, permission),
      );
      if (this.#rulesByPermission.size >= MAX_REMEMBERED_PERMISSIONS) {
        this.#rulesByPermission.clear();
      }
      this.#rulesByPermission.set(key, rules);
    }
    return rules;
  }

  /** The owner grant the decision code would hand out, described. */
  #ownerGrants(
    permission: Permission,
    rules: PolicyRule[],
  ): ConditionalGrantInfo[] {
    const ownerRule = rules.find(r => r.allowOwners);
    if (
      !ownerRule ||
      !isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
    ) {
      return [];
    }
    return [
      {
        rule: ownerRule.key,
        description:
          'owners of the catalog entity: the user, or one of its groups (nested included), in the entity’s ownedBy relations',
      },
    ];
  }

  /** The permission of a name, or an InputError listing the known ones. */
  #permission(name: string): Permission {
    const permission = this.#options.config.permissions.get(name);
    if (!permission) {
      throw new InputError(
        `Unknown permission '${name}'; known permissions: ${this.knownPermissions().join(
          ', ',
        )}`,
      );
    }
    return permission;
  }
}

function decisionOf(outcome: Outcome): PolicyDecision {
  return outcome.decision;
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

/** A lowercase entity ref; kind and namespace default. */
function normalizeRef(ref: string, defaultKind: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    ).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(`'${ref}' is not a valid entity ref`);
  }
}
