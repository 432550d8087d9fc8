/**
 * The identity policy of the access tests, over the demo organisation
 * (`@identity-governance/plugin-identity-node/testUtils`): admins, a refresh
 * rule for SRE, developers may create, owners may delete.
 */
export const accessPolicyConfig = {
  adminGroups: ['group:default/platform-admins'],
  rules: [
    {
      permission: 'catalog.entity.refresh',
      allowGroups: ['group:default/sre'],
    },
    {
      action: 'create',
      allowGroups: ['group:default/developers'],
    },
    { permission: 'catalog.entity.delete', allowOwners: true },
  ],
};
