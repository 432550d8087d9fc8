import {
  AuditorService,
  BackstageUserPrincipal,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
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
} from '@identity-governance/plugin-identity-node';
import { AuthorizeRequestContext } from './AuthorizeRequestContext';
import { BatchedMemberships } from './BatchedMemberships';
import { DecisionAuditor } from './DecisionAuditor';
import { DecisionLog } from './DecisionLog';
import { DecisionFailureLog } from './DecisionFailureLog';
import { DecisionRunner, ExplanationSink } from './DecisionRunner';
import { EvaluationContext } from './evaluateMemberships';
import { ALLOW, DEFAULT_ALLOW, decisionOf } from './Outcome';
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
  /**
   * Records every guarded decision `handle` makes as a line
   * (`permission.policy-decision`, unless `config.decisionRecords` is
   * `auditor`), and failed decisions and records that could not be written.
   */
  logger: LoggerService;
  /**
   * Records every guarded decision `handle` makes as an audit event
   * (`permission.policy-decision`) when `config.decisionRecords` is
   * `auditor`; without it, none is recorded then.
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

/** Top-level `identityPolicy` keys the policy itself reads. */
const POLICY_KEYS = new Set([
  'adminGroups',
  'guardedPermissions',
  'defaultDecision',
  'rules',
  'knownPermissions',
  // How decisions are recorded: no effect on who may do what.
  'decisionRecords',
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
  readonly #decisions: DecisionRunner;

  constructor(options: IdentityPermissionPolicyOptions) {
    this.#options = options;
    this.#context = {
      adminGroups: new Set(options.config.adminGroups),
      rules: new RuleIndex(options.config.rules),
      defaultDecision: options.config.defaultDecision,
    };
    this.#decisions = new DecisionRunner({
      context: this.#context,
      batch: new BatchedMemberships(options.resolver),
      failures: new DecisionFailureLog(options.logger),
      records:
        options.config.decisionRecords === 'auditor'
          ? options.auditor &&
            new DecisionAuditor(options.auditor, options.logger)
          : new DecisionLog(options.logger),
      guardedPermissions: options.config.guardedPermissions,
      defaultDecision: options.config.defaultDecision,
    });
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
    const outcome = this.#decisions.run(
      request.permission,
      user?.credentials,
      user
        ? (user.credentials.principal as BackstageUserPrincipal).userEntityRef
        : undefined,
      item,
      undefined,
    );
    // The default decision and an unauthenticated caller's denial come back
    // at once, not as promises; see #runDecision for the others.
    if (outcome === DEFAULT_ALLOW) {
      return Promise.resolve(ALLOW);
    }
    return outcome instanceof Promise
      ? outcome.then(decisionOf)
      : Promise.resolve(outcome.decision);
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
    const outcome = await this.#decisions.run(
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
