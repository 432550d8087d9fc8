import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';
import request from 'supertest';
import policyModule from './index';

jest.setTimeout(120_000);

const doc = (kind: 'User' | 'Group', name: string, spec: string) => `---
apiVersion: backstage.io/v1alpha1
kind: ${kind}
metadata:
  name: ${name}
spec:
${spec}`;

const adminsUnder = (name: string, member: string) =>
  doc(
    'Group',
    name,
    `  type: team\n  parent: platform-admins\n  children: []\n  members: [${member}]\n`,
  );

/**
 * The trusted directory is `<root>/trusted/*`. The catalog reads file
 * targets with glob, where a backslash separates path segments and braces
 * expand: these targets start with the trusted prefix but read files beside
 * it. Compared with path.resolve alone they looked trusted, and the groups
 * they declare made their members admins.
 */
describe('trusted file origins are read as the catalog reads them', () => {
  const files = createMockDirectory();
  let backend: TestBackend;

  const entity = (name: string, kind = 'group') =>
    request(backend.server)
      .get(`/api/catalog/entities/by-name/${kind}/default/${name}`)
      .set('Authorization', mockCredentials.service.header());
  const mayDelete = async (userRef: string) => {
    const res = await request(backend.server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header(userRef))
      .send({
        items: [
          {
            id: '1',
            permission: catalogEntityDeletePermission,
            resourceRef: 'group:default/platform-admins',
          },
        ],
      });
    expect(res.status).toBe(200);
    return res.body.items[0].result;
  };

  beforeAll(async () => {
    files.setContent({
      'trusted/org.yaml': [
        doc('Group', 'platform-admins', '  type: team\n  children: []\n'),
        doc('User', 'ada', '  memberOf: [platform-admins]\n'),
        doc('User', 'mallory', '  memberOf: []\n'),
        doc('User', 'mel', '  memberOf: []\n'),
      ].join(''),
      'backslash.yaml': adminsUnder('backslash-admins', 'mallory'),
      'braces.yaml': adminsUnder('brace-admins', 'mel'),
    });
    const trusted = files.resolve('trusted');
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        permissionPlugin,
        policyModule,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['User', 'Group', 'Location'] }],
              locations: [
                { type: 'file', target: `${trusted}/org.yaml` },
                { type: 'file', target: `${trusted}/..\\backslash.yaml` },
                { type: 'file', target: `${trusted}/{none,../braces}.yaml` },
              ],
            },
            identityPolicy: {
              adminGroups: ['group:default/platform-admins'],
              directories: [{ name: 'corp', origins: [`file:${trusted}/*`] }],
            },
          },
        }),
      ],
    });
  });

  beforeAll(async () => {
    // Wait for the catalog to have read all three locations.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const statuses = await Promise.all([
        entity('ada', 'user'),
        entity('backslash-admins'),
        entity('brace-admins'),
      ]);
      if (statuses.every(r => r.status === 200)) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `the catalog did not read every location: ${statuses
            .map(r => r.status)
            .join(', ')}`,
        );
      }
      await new Promise(r => setTimeout(r, 250));
    }
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('does not trust a target whose backslashes lead out of the directory', async () => {
    // The catalog did read the file beside the trusted folder.
    const group = await entity('backslash-admins');
    expect(group.status).toBe(200);
    expect(
      group.body.metadata.annotations[
        'backstage.io/managed-by-origin-location'
      ],
    ).toBe(`file:${files.resolve('trusted')}/..\\backslash.yaml`);
    expect(await mayDelete('user:default/mallory')).toBe('DENY');
  });

  it('does not trust a target whose braces lead out of the directory', async () => {
    const group = await entity('brace-admins');
    expect(group.status).toBe(200);
    expect(await mayDelete('user:default/mel')).toBe('DENY');
  });

  it('still trusts the directory itself', async () => {
    expect((await entity('ada', 'user')).status).toBe(200);
    expect(await mayDelete('user:default/ada')).toBe('ALLOW');
  });
});
