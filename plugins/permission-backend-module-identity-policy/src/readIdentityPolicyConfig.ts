import { RootConfigService } from '@backstage/backend-plugin-api';
import {
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { catalogPermissions } from '@backstage/plugin-catalog-common/alpha';
import {
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { identityPermissions } from '@identity-governance/plugin-identity-common';
import { defaultGuardedPermissions } from './defaultGuardedPermissions';

/**
 * One validated entry of `identityPolicy.rules`.
 *
 * @public
 */
export interface PolicyRule {
  /** Where it came from, for decision reasons: `identityPolicy.rules[2]`. */
  key: string;
  /** The permission name it matches, when it names one. */
  permission?: string;
  /** The action attribute it matches, when it names one. */
  action?: 'create' | 'read' | 'update' | 'delete';
  /** The resource type it matches, when it names one. */
  resourceType?: string;
  /** The groups it grants to (lowercase refs), nested members included. */
  allowGroups: string[];
  /** Whether it grants to owners of the catalog entity asked about. */
  allowOwners: boolean;
}

/**
 * `identityPolicy`, validated, with defaults applied.
 *
 * @public
 */
export interface IdentityPolicyConfig {
  /** Groups granted every guarded permission (lowercase refs). */
  adminGroups: string[];
  /** The names of the permissions the policy guards. */
  guardedPermissions: ReadonlySet<string>;
  /** The decision for permissions it does not guard. */
  defaultDecision: 'allow' | 'deny';
  /** `identityPolicy.rules`, in config order. */
  rules: PolicyRule[];
  /**
   * Every permission the policy knows, by name: the catalog's and the
   * identity plugins' own, and `knownPermissions` (as basic permissions
   * without attributes, since only their names are configured).
   */
  permissions: ReadonlyMap<string, Permission>;
  /**
   * How guarded decisions are recorded: `log`, one line of the permission
   * plugin's logger each (the default), or `auditor`, one
   * `coreServices.auditor` event each.
   */
  decisionRecords: 'log' | 'auditor';
}

const ACTIONS = ['create', 'read', 'update', 'delete'] as const;

/**
 * Reads `identityPolicy` (except `membership` and `trustedOrigins`, which the
 * membership resolver reads), collecting every problem into one error that
 * names the keys.
 *
 * @public
 */
export function readIdentityPolicyConfig(
  config: RootConfigService,
): IdentityPolicyConfig {
  const problems: string[] = [];
  const root = 'identityPolicy';
  const policy = config.getOptionalConfig(root);

  const knownPermissions = new Map<string, string | undefined>();
  const permissions = new Map<string, Permission>();
  for (const p of [...catalogPermissions, ...identityPermissions]) {
    knownPermissions.set(
      p.name,
      p.type === 'resource' ? p.resourceType : undefined,
    );
    permissions.set(p.name, p);
  }
  for (const name of policy?.getOptionalStringArray('knownPermissions') ?? []) {
    if (!knownPermissions.has(name)) {
      knownPermissions.set(name, undefined);
      permissions.set(name, createPermission({ name, attributes: {} }));
    }
  }
  const knownResourceTypes = new Set(
    [...knownPermissions.values()].filter((t): t is string => !!t),
  );

  const checkPermission = (name: string, key: string) => {
    if (!knownPermissions.has(name)) {
      problems.push(
        `${key}: unknown permission '${name}' (list other plugins' permissions in ${root}.knownPermissions)`,
      );
    }
  };

  const adminGroups = readGroupRefs(
    policy?.getOptionalStringArray('adminGroups') ?? [],
    `${root}.adminGroups`,
    problems,
  );

  const guardedList = policy?.getOptionalStringArray('guardedPermissions');
  guardedList?.forEach((name, i) =>
    checkPermission(name, `${root}.guardedPermissions[${i}]`),
  );

  const defaultDecision =
    policy?.getOptionalString('defaultDecision') ?? 'allow';
  if (defaultDecision !== 'allow' && defaultDecision !== 'deny') {
    problems.push(
      `${root}.defaultDecision: must be 'allow' or 'deny', got '${defaultDecision}'`,
    );
  }

  const decisionRecords = policy?.getOptionalString('decisionRecords') ?? 'log';
  if (decisionRecords !== 'log' && decisionRecords !== 'auditor') {
    problems.push(
      `${root}.decisionRecords: must be 'log' or 'auditor', got '${decisionRecords}'`,
    );
  }

  const rules: PolicyRule[] = [];
  (policy?.getOptionalConfigArray('rules') ?? []).forEach((rule, i) => {
    const key = `${root}.rules[${i}]`;
    const permission = rule.getOptionalString('permission');
    const action = rule.getOptionalString('action');
    const resourceType = rule.getOptionalString('resourceType');
    const allowOwners = rule.getOptionalBoolean('allowOwners') ?? false;
    const allowGroups = readGroupRefs(
      rule.getOptionalStringArray('allowGroups') ?? [],
      `${key}.allowGroups`,
      problems,
    );
    if (permission !== undefined) {
      checkPermission(permission, `${key}.permission`);
    }
    if (
      action !== undefined &&
      !(ACTIONS as readonly string[]).includes(action)
    ) {
      problems.push(
        `${key}.action: must be one of ${ACTIONS.join(', ')}, got '${action}'`,
      );
    }
    if (resourceType !== undefined && !knownResourceTypes.has(resourceType)) {
      problems.push(
        `${key}.resourceType: unknown resource type '${resourceType}' (known: ${[
          ...knownResourceTypes,
        ].join(', ')})`,
      );
    }
    if (!permission && !action && !resourceType) {
      problems.push(
        `${key}: set at least one of permission, action or resourceType (to allow a group everything, use ${root}.adminGroups)`,
      );
    }
    if (!allowGroups.length && !allowOwners) {
      problems.push(`${key}: set allowGroups or allowOwners`);
    }
    if (allowOwners) {
      const permissionType = permission
        ? knownPermissions.get(permission)
        : undefined;
      const ownable =
        (permission === undefined || permissionType === 'catalog-entity') &&
        (resourceType === undefined || resourceType === 'catalog-entity');
      if (!ownable) {
        problems.push(
          `${key}.allowOwners: only applies to catalog-entity resource permissions`,
        );
      }
    }
    rules.push({
      key,
      permission,
      action: action as PolicyRule['action'],
      resourceType,
      allowGroups,
      allowOwners,
    });
  });

  if (problems.length) {
    throw new InputError(
      `Invalid identity policy config:\n  ${problems.join('\n  ')}`,
    );
  }

  return {
    adminGroups,
    guardedPermissions: new Set(guardedList ?? defaultGuardedPermissions),
    defaultDecision: defaultDecision as 'allow' | 'deny',
    rules,
    permissions,
    decisionRecords: decisionRecords as 'log' | 'auditor',
  };
}

function readGroupRefs(refs: string[], key: string, problems: string[]) {
  const result: string[] = [];
  refs.forEach((ref, i) => {
    const entryKey = `${key}[${i}]`;
    try {
      const parsed = parseEntityRef(ref, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
      if (parsed.kind.toLocaleLowerCase('en-US') !== 'group') {
        problems.push(`${entryKey}: '${ref}' is not a group ref`);
      } else if (
        !KubernetesValidatorFunctions.isValidObjectName(parsed.name) ||
        !KubernetesValidatorFunctions.isValidNamespace(parsed.namespace)
      ) {
        problems.push(`${entryKey}: '${ref}' is not a valid group ref`);
      } else {
        result.push(stringifyEntityRef(parsed));
      }
    } catch (error) {
      problems.push(`${entryKey}: '${ref}' is not a valid entity ref`);
    }
  });
  return result;
}
