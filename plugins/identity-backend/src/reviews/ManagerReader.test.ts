import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogManagerReader } from './ManagerReader';

const MANAGER = 'scim.identity-governance.io/manager';

function user(
  name: string,
  location: string,
  manager?: string,
  idp = location.replace('scim:', ''),
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      annotations: {
        'backstage.io/managed-by-location': location,
        ...(location.startsWith('scim:')
          ? { 'scim.identity-governance.io/idp': idp }
          : {}),
        ...(manager ? { [MANAGER]: manager } : {}),
      },
    },
    spec: {},
  };
}

describe('CatalogManagerReader', () => {
  it("keeps a manager only when it is a user of the person's own source", async () => {
    const catalog = catalogServiceMock({
      entities: [
        user('boss', 'scim:entra'),
        user('alice', 'scim:entra', 'user:default/boss'),
        // Names a user another source provides: an IdP cannot pick them.
        user('mallory', 'scim:entra', 'user:default/admin'),
        user('admin', 'file:/org.yaml'),
        // Names a user of another IdP.
        user('oscar', 'scim:okta', 'user:default/boss'),
        // Names a user not in the catalog (deactivated, not provisioned).
        user('gina', 'scim:entra', 'user:default/gone'),
        // Names themself.
        user('self', 'scim:entra', 'user:default/self'),
        // Names a group.
        user('grp', 'scim:entra', 'group:default/boss'),
      ],
    });
    const reader = new CatalogManagerReader(
      catalog,
      mockServices.auth({ pluginId: 'identity' }),
    );
    const managers = await reader.read(
      ['alice', 'mallory', 'oscar', 'gina', 'self', 'grp', 'nobody'].map(
        n => `user:default/${n}`,
      ),
    );
    expect(Object.fromEntries(managers)).toEqual({
      'user:default/alice': 'user:default/boss',
    });
  });
});
