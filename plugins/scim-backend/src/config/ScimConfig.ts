import { RootConfigService } from '@backstage/backend-plugin-api';

export interface ScimIdentityProviderConfig {
  name: string;
  token?: string;
  namespace: string;
  groupType: string;
  /**
   * Sources this IdP may take entity refs from without an admin: whole
   * origins (`file:/org/people.yaml`) or location types (`file`, `ldap`).
   */
  adoptFrom: string[];
}

export type UserNameStrategy = 'local-part' | 'user-name';

export interface ScimConfig {
  enabled: boolean;
  /** Defaults for IdPs that do not set their own. */
  namespace: string;
  groupType: string;
  identityProviders: ScimIdentityProviderConfig[];
  userNameStrategy: UserNameStrategy;
}

/** Reads the `scim` block of app-config; see config.d.ts for the keys. */
export function readScimConfig(config: RootConfigService): ScimConfig {
  const scim = config.getOptionalConfig('scim');
  const namespace = scim?.getOptionalString('namespace') ?? 'default';
  const groupType = scim?.getOptionalString('groupType') ?? 'team';
  const strategy = scim?.getOptionalString('naming.userName') ?? 'local-part';
  if (strategy !== 'local-part' && strategy !== 'user-name') {
    throw new Error(
      `scim.naming.userName must be 'local-part' or 'user-name', got '${strategy}'`,
    );
  }
  const identityProviders = (
    scim?.getOptionalConfigArray('identityProviders') ?? []
  ).map(idp => ({
    name: idp.getString('name'),
    token: idp.getOptionalString('token'),
    namespace: idp.getOptionalString('namespace') ?? namespace,
    groupType: idp.getOptionalString('groupType') ?? groupType,
    adoptFrom: idp.getOptionalStringArray('adoptFrom') ?? [],
  }));
  const names = new Set<string>();
  for (const idp of identityProviders) {
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(idp.name)) {
      throw new Error(`Invalid scim identity provider name '${idp.name}'`);
    }
    if (names.has(idp.name)) {
      throw new Error(`Duplicate scim identity provider name '${idp.name}'`);
    }
    names.add(idp.name);
  }
  return {
    enabled: scim?.getOptionalBoolean('enabled') ?? true,
    namespace,
    groupType,
    identityProviders,
    userNameStrategy: strategy,
  };
}

/** Entity settings for an IdP; IdPs removed from config get the defaults. */
export function idpSettingsOf(config: ScimConfig) {
  return (idp: string) =>
    config.identityProviders.find(p => p.name === idp) ?? {
      namespace: config.namespace,
      groupType: config.groupType,
      adoptFrom: [],
    };
}
