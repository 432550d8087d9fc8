import {
  createServiceFactory,
  createServiceRef,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  AccessDecidedBy,
  AccessExplanation,
  ConditionalGrantInfo,
  GuardedPermissionInfo,
} from '@identity-governance/plugin-identity-common';

/**
 * What {@link AccessExplainer.explain} is asked.
 *
 * @public
 */
export interface AccessExplainRequest {
  /** `user:default/ada`; kind and namespace default to `user` and `default`. */
  userEntityRef: string;
  /** A permission name the policy knows, e.g. `catalog.entity.delete`. */
  permission: string;
  /** For resource permissions: the entity the question is about. */
  resourceRef?: string;
}

/**
 * One group that grants a permission, and what it is in the policy.
 *
 * @public
 */
export interface GrantingGroup {
  /** Lowercase group ref. */
  group: string;
  /** `admin-group`, or `rule` with the rule's key. */
  decidedBy: AccessDecidedBy;
}

/**
 * What grants one permission under a policy, for listing who has it.
 *
 * @public
 */
export interface GrantingGroups {
  /** The permission's name. */
  permission: string;
  /** Whether the policy guards the permission. */
  guarded: boolean;
  /**
   * True when every signed-in user is allowed (not guarded, and
   * `defaultDecision: allow`), whatever their groups.
   */
  everyone: boolean;
  /**
   * The granting groups in the policy's order of precedence: admin groups,
   * then the groups of each matching rule in config order. A user in several
   * is decided by the first.
   */
  grants: GrantingGroup[];
  /** Owner-based grants, which depend on the entity asked about. */
  conditional: ConditionalGrantInfo[];
}

/**
 * Options of {@link AccessExplainer.grantingGroups}.
 *
 * @public
 */
export interface GrantingGroupsOptions {
  /** Answer for a permission name the policy does not know, too. */
  allowUnknown?: boolean;
}

/**
 * The decision code of the installed permission policy, asked to explain
 * itself. The identity policy module registers one.
 *
 * @public
 */
export interface AccessExplainer {
  /**
   * The policy's decision for one user and permission, computed by the same
   * code as its `handle`, with why. Throws an `InputError` for a permission
   * name it does not know.
   */
  explain(request: AccessExplainRequest): Promise<AccessExplanation>;
  /**
   * The groups that grant a permission. Throws `InputError` when unknown,
   * unless `allowUnknown` (then it is taken as a basic permission without
   * attributes, as a request for it would reach the policy).
   */
  grantingGroups(
    permission: string,
    options?: GrantingGroupsOptions,
  ): GrantingGroups;
  /** Every guarded permission, with what grants it. */
  guardedPermissions(): GuardedPermissionInfo[];
  /** Every permission name the policy knows. */
  knownPermissions(): string[];
  /**
   * An explainer over a proposed `identityPolicy` block (the object under
   * the key), validated as at startup (an `InputError` with the same
   * messages), with the live membership engine.
   */
  withProposedConfig(identityPolicy: unknown): ProposedAccessExplainer;
}

/**
 * {@link AccessExplainer.withProposedConfig}'s answer.
 *
 * @public
 */
export interface ProposedAccessExplainer {
  /** Explains decisions as the proposed policy would make them. */
  explainer: AccessExplainer;
  /**
   * Keys of the proposal the explainer does not simulate (membership and
   * trust settings, which the live engine keeps), e.g.
   * `identityPolicy.membership`.
   */
  notSimulated: string[];
}

/**
 * Reaches the permission policy's explain call from any plugin.
 *
 * @public
 */
export interface AccessExplainerService {
  /** Called by the policy module at init; the last registration wins. */
  register(explainer: AccessExplainer): void;
  /** {@inheritDoc AccessExplainer.explain} */
  explain(request: AccessExplainRequest): Promise<AccessExplanation>;
  /** {@inheritDoc AccessExplainer.grantingGroups} */
  grantingGroups(
    permission: string,
    options?: GrantingGroupsOptions,
  ): Promise<GrantingGroups>;
  /** {@inheritDoc AccessExplainer.guardedPermissions} */
  guardedPermissions(): Promise<GuardedPermissionInfo[]>;
  /** {@inheritDoc AccessExplainer.knownPermissions} */
  knownPermissions(): Promise<string[]>;
  /** {@inheritDoc AccessExplainer.withProposedConfig} */
  withProposedConfig(identityPolicy: unknown): Promise<ProposedAccessExplainer>;
}

/** How long a call waits for the policy module to register. */
const DEFAULT_WAIT_MS = 5000;

/**
 * The process-wide registration: the policy module (in the permission
 * plugin) and the identity backend get separate plugin-scoped instances that
 * share it.
 */
class AccessExplainerRegistry {
  #explainer?: AccessExplainer;
  #waiters = new Set<(explainer: AccessExplainer) => void>();

  constructor(private readonly waitMs: number) {}

  register(explainer: AccessExplainer) {
    this.#explainer = explainer;
    for (const waiter of this.#waiters) {
      waiter(explainer);
    }
    this.#waiters.clear();
  }

  get(): Promise<AccessExplainer> {
    if (this.#explainer) {
      return Promise.resolve(this.#explainer);
    }
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      const waiter = (explainer: AccessExplainer) => {
        clearTimeout(timer);
        resolve(explainer);
      };
      timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new ServiceUnavailableError(
            'No access explainer: the identity permission policy module ' +
              '(@identity-governance/plugin-permission-backend-module-identity-policy) ' +
              'is not installed in this backend',
          ),
        );
      }, this.waitMs);
      this.#waiters.add(waiter);
    });
  }
}

/** An {@link AccessExplainerService} over a registry; exported for tests. */
export function createAccessExplainerService(
  options: { waitMs?: number } = {},
): AccessExplainerService {
  const registry = new AccessExplainerRegistry(
    options.waitMs ?? DEFAULT_WAIT_MS,
  );
  return {
    register: explainer => registry.register(explainer),
    explain: async request => (await registry.get()).explain(request),
    grantingGroups: async (permission, grantingOptions) =>
      (await registry.get()).grantingGroups(permission, grantingOptions),
    guardedPermissions: async () => (await registry.get()).guardedPermissions(),
    knownPermissions: async () => (await registry.get()).knownPermissions(),
    withProposedConfig: async identityPolicy =>
      (await registry.get()).withProposedConfig(identityPolicy),
  };
}

/**
 * The permission policy's explain call, for the identity backend.
 *
 * @remarks
 *
 * Plugin scoped so that both the permission plugin (where the identity
 * policy module registers its policy) and the identity backend can depend on
 * it; the default factory keeps one registration per backend process in its
 * root context. Calls made before the policy registered wait a few seconds,
 * then fail with a `ServiceUnavailableError` saying the policy module is not
 * installed.
 *
 * @public
 */
export const accessExplainerServiceRef =
  createServiceRef<AccessExplainerService>({
    id: 'identity.access-explainer',
    scope: 'plugin',
    defaultFactory: async (): Promise<ServiceFactory> =>
      // eslint-disable-next-line @typescript-eslint/no-use-before-define
      accessExplainerServiceFactory,
  });

/** The default factory of {@link accessExplainerServiceRef}. */
export const accessExplainerServiceFactory: ServiceFactory<
  AccessExplainerService,
  'plugin',
  'singleton'
> = createServiceFactory({
  service: accessExplainerServiceRef,
  deps: {},
  createRootContext() {
    return createAccessExplainerService();
  },
  factory(_deps, service) {
    return service;
  },
});
