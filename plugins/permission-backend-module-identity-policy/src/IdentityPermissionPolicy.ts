import {
  AuditorService,
  BackstageUserPrincipal,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  AuthorizeResult,
  createPermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  AccessExplanation,
  GuardedPermissionInfo,
} from '@identity-governance/plugin-identity-common';
import {
  AccessExplainer,
  AccessExplainRequest,
  GrantingGroups,
  GrantingGroupsOptions,
  MembershipResolver,
  ProposedAccessExplainer,
  UserMemberships,
} from '@identity-governance/plugin-identity-node';
import {
  AuthorizeItemContext,
  AuthorizeRequestContext,
} from './AuthorizeRequestContext';
import { BatchedMemberships } from './BatchedMemberships';
import { DecisionAuditor, formatRef } from './DecisionAuditor';
import { DecisionFailureLog } from './DecisionFailureLog';
import { EvaluationContext, evaluateMemberships } from './evaluateMemberships';
import { ALLOW, DEFAULT_ALLOW, decisionOf, DENY, Outcome } from './Outcome';
import {
  IdentityPolicyConfig,
  readIdentityPolicyConfig,
} from './readIdentityPolicyConfig';
import { RuleIndex } from './RuleIndex';
import { grantingGroupsOf, guardedPermissionInfo } from './describeGrants';
import { PolicyEntityReader } from './PolicyEntityReader';
import { toAccessExplanation } from './toAccessExplanation';

/**
 * Options for {@link IdentityPermissionPolicy}.
 *
 * @public
 */
export interface IdentityPermissionPolicyOptions {
  /** `identityPolicy`, as {@link readIdentityPolicyConfig} returns it. */
  config: IdentityPolicyConfig;
  /** The membership engine the decisions rest on. */
  resolver: MembershipResolver;
  /** For failed decisions and audit records that could not be written. */
  logger: LoggerService;
  /**
   * Records every guarded decision `handle` makes as an audit event
   * (`permission.policy-decision`); without it none is recorded.
   */
  auditor?: AuditorService;
  /**
   * Supplies the resourceRef and request of each decision's record; the
   * module wires it into the permission plugin's router.
   *
   * @internal
   */
  requestContext?: AuthorizeRequestContext;
  /**
   * Reads the entity an explanation of an owner rule is asked about; without
   * it such explanations stay `conditional`.
   */
  entities?: PolicyEntityReader;
}

/**
 * Filled in by the decision code for {@link IdentityPermissionPolicy.explain};
 * `handle` passes none, so its path neither allocates nor logs anything more.
 */
interface ExplanationSink {
  /** The memberships the final decision was made on. */
  memberships?: UserMemberships;
}

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
 * explanation of what decided; it records no decision.
 *
 * @public
 */
export class IdentityPermissionPolicy
  implements PermissionPolicy, AccessExplainer
{
  readonly #options: IdentityPermissionPolicyOptions;
  readonly #context: EvaluationContext;
  readonly #batch: BatchedMemberships;
  readonly #records?: DecisionAuditor;
  readonly #failures: DecisionFailureLog;

  constructor(options: IdentityPermissionPolicyOptions) {
    this.#options = options;
    this.#failures = new DecisionFailureLog(options.logger);
    this.#context = {
      adminGroups: new Set(options.config.adminGroups),
      rules: new RuleIndex(options.config.rules),
      defaultDecision: options.config.defaultDecision,
    };
    this.#batch = new BatchedMemberships(options.resolver);
    this.#records =
      options.auditor && new DecisionAuditor(options.auditor, options.logger);
  }

  /**
   * Decides one permission for one user, from the user's memberships as the
   * catalog has them now; denies when they cannot be read.
   */
  handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    // Once per call, before any await: see AuthorizeRequestContext.
    const item =
      this.#options.requestContext?.take(
        user?.credentials,
        request.permission,
      ) ?? {};
    const outcome = this.#run(
      request.permission,
      user?.credentials,
      user
        ? (user.credentials.principal as BackstageUserPrincipal).userEntityRef
        : undefined,
      item,
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
      { resourceRef: request.resourceRef },
      sink,
    );

    return toAccessExplanation({
      permission: permission.name,
      resourceRef: request.resourceRef,
      outcome,
      memberships: sink.memberships,
      entities: this.#options.entities,
      grantingGroups: () =>
        new Set(this.grantingGroups(permission.name).grants.map(g => g.group)),
    });
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
    return grantingGroupsOf(
      this.#options.config,
      permission,
      this.#context.rules.matching(permission),
    );
  }

  /** Every guarded permission, with what grants it. */
  guardedPermissions(): GuardedPermissionInfo[] {
    const { config } = this.#options;
    return [...config.guardedPermissions].sort().map(name => {
      const permission = this.#permission(name);
      return guardedPermissionInfo(
        config,
        permission,
        this.#context.rules.matching(permission),
      );
    });
  }

  /** Every permission name the policy knows, sorted. */
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
        // Never handles a request: it only explains, and records nothing.
      }),
      notSimulated: Object.keys(identityPolicy)
        .filter(key => !POLICY_KEYS.has(key))
        .map(key => `identityPolicy.${key}`),
    };
  }

  /**
   * The one decision function: `handle` and `explain` both run it. With a
   * sink, it fills the sink in and records no decision.
   *
   * @param key - what memberships are batched under: the credentials object
   *   (`handle`) or the user ref (`explain`); undefined when unauthenticated
   */
  #run(
    permission: Permission,
    key: unknown,
    userEntityRef: string | undefined,
    item: AuthorizeItemContext,
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
      item,
      sink,
    );
  }

  async #runDecision(
    permission: Permission,
    guarded: boolean,
    key: unknown,
    userEntityRef: string | undefined,
    item: AuthorizeItemContext,
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
      this.#failures.succeeded();
    } catch (error) {
      outcome = {
        decision: DENY,
        kind: 'error',
        reason: `error while deciding, denied: ${error}`,
      };
      this.#failures.failed(error, {
        permission: permission.name,
        resourceRef: formatRef(item.resourceRef),
        ...(sink ? { explain: true } : undefined),
      });
    }

    if (guarded && !sink && this.#records) {
      await this.#records.record({
        outcome,
        key,
        permission: permission.name,
        resourceRef: item.resourceRef,
        request: item.request,
      });
    }
    return outcome;
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
    const memberships = await this.#batch.membershipsOf(
      key,
      userEntityRef,
      true,
    );
    const outcome = this.#evaluate(permission, guarded, memberships, sink);
    if (memberships.fresh || outcome.decision.result === AuthorizeResult.DENY) {
      return outcome;
    }
    if (outcome.grant) {
      if (await this.#batch.verify(outcome.grant.path)) {
        return outcome;
      }
    } else if (outcome.decision.result === AuthorizeResult.ALLOW) {
      return outcome; // the default decision: no membership involved
    }
    return this.#evaluate(
      permission,
      guarded,
      await this.#batch.membershipsOf(key, userEntityRef, false),
      sink,
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
    return evaluateMemberships(this.#context, permission, guarded, memberships);
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
