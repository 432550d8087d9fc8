import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  ConditionalGrantInfo,
  GuardedPermissionInfo,
} from '@identity-governance/plugin-identity-common';
import { GrantingGroups } from '@identity-governance/plugin-identity-node';
import { IdentityPolicyConfig, PolicyRule } from './readIdentityPolicyConfig';

/**
 * The groups that grant a permission: the admin groups, then the groups of
 * every matching rule, in the order the decision code tries them.
 */
export function grantingGroupsOf(
  config: IdentityPolicyConfig,
  permission: Permission,
  rules: PolicyRule[],
): GrantingGroups {
  const guarded = config.guardedPermissions.has(permission.name);
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
    conditional: ownerGrantsOf(permission, rules),
  };
}

/** A guarded permission as the Identity page lists it. */
export function guardedPermissionInfo(
  config: IdentityPolicyConfig,
  permission: Permission,
  rules: PolicyRule[],
): GuardedPermissionInfo {
  const info: GuardedPermissionInfo = {
    name: permission.name,
    adminGroups: [...config.adminGroups],
    rules: rules.map(r => ({
      rule: r.key,
      allowGroups: [...r.allowGroups],
      allowOwners: r.allowOwners,
    })),
    ownersAllowed: ownerGrantsOf(permission, rules).length > 0,
  };
  if (isResourcePermission(permission)) {
    info.resourceType = permission.resourceType;
  }
  if (permission.attributes.action) {
    info.action = permission.attributes.action;
  }
  return info;
}

/** The owner grant the decision code would hand out, described. */
function ownerGrantsOf(
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
