import {
  createMockDirectory,
  mockCredentials,
  startTestBackend,
  TestBackend,
  mockServices,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';
import policyModule from '@identity-governance/plugin-permission-backend-module-identity-policy';
import request from 'supertest';
import { eventually } from './__testUtils__/testPolicy';
import identityPlugin from './index';

jest.setTimeout(120_000);

const ADMIN = 'user:default/ada';

const doc = (kind: 'User' | 'Group', name: string, spec: string) => `---
apiVersion: backstage.io/v1alpha1
kind: ${kind}
metadata:
  name: ${name}
spec:
${spec}`;

/**
 * The page and the policy share one engine: memberships the policy does not
 * count are not shown as memberships, but beside them with their reason.
 *
 * Three files: the organisation (directory `corp`), a contractors' directory
 * (`contractors`, which may not grant into corp's groups) and a file nobody
 * trusts, standing for a legacy HR export or a file someone registered.
 */
describe('one membership engine for the page and the policy', () => {
  const files = createMockDirectory();
  let backend: TestBackend;
  let server: TestBackend['server'];

  const as = (ref: string) => ({
    Authorization: mockCredentials.user.header(ref),
  });
  const get = (path: string) =>
    request(server).get(`/api/identity${path}`).set(as(ADMIN));
  const mayDelete = async (userRef: string) => {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set(as(userRef))
      .send({
        items: [
          {
            id: '1',
            permission: catalogEntityDeletePermission,
            resourceRef: 'user:default/ada',
          },
        ],
      });
    expect(res.status).toBe(200);
    // A conditional answer would be a grant to owners: none is configured.
    return res.body.items[0].result === 'ALLOW';
  };

  beforeAll(async () => {
    files.setContent({
      'org.yaml': [
        doc('Group', 'platform-admins', '  type: team\n  children: []\n'),
        doc('Group', 'squad', '  type: team\n  children: []\n'),
        doc('User', 'ada', '  memberOf: [platform-admins]\n'),
        doc('User', 'oscar', '  memberOf: [squad]\n'),
        doc('User', 'carl', '  memberOf: []\n'),
        doc('User', 'dana', '  memberOf: [squad]\n'),
      ].join(''),
      'contractors.yaml': [
        // A contractors' group that puts itself under corp's admins.
        doc(
          'Group',
          'contractor-leads',
          '  type: team\n  parent: platform-admins\n  children: []\n  members: [carl]\n',
        ),
        // A contractor claiming corp's admin group for themselves.
        doc(
          'User',
          'cora',
          '  memberOf: [platform-admins, contractor-leads]\n',
        ),
      ].join(''),
      'legacy-hr.yaml': doc(
        'Group',
        'legacy-admins',
        '  type: team\n  parent: platform-admins\n  children: []\n  members: [oscar]\n',
      ),
    });
    const fileOrigin = (name: string) => `file:${files.resolve(name)}`;
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        permissionPlugin,
        policyModule,
        identityPlugin,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['User', 'Group', 'Location'] }],
              locations: ['org.yaml', 'contractors.yaml', 'legacy-hr.yaml'].map(
                name => ({ type: 'file', target: files.resolve(name) }),
              ),
            },
            identity: { refresh: { interval: { seconds: 1 } } },
            identityPolicy: {
              adminGroups: ['group:default/platform-admins'],
              rules: [],
              directories: [
                { name: 'corp', origins: [fileOrigin('org.yaml')] },
                {
                  name: 'contractors',
                  origins: [fileOrigin('contractors.yaml')],
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    /* eslint-disable jest/no-standalone-expect */
    await eventually(async () => {
      const res = await get('/summary');
      expect(res.body.totalUsers).toBe(5);
      expect(res.body.totalGroups).toBe(4);
      expect(res.body.byStatus.uncountedMemberships).toBe(3);
    });
    /* eslint-enable jest/no-standalone-expect */
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('does not show a path through an untrusted group as a membership', async () => {
    // Before the engine was shared, the page showed
    // oscar -> legacy-admins -> platform-admins while the policy denied.
    const oscar = await get('/users/default/oscar');
    expect(oscar.status).toBe(200);
    expect(oscar.body.memberships.map((m: any) => m.groupRef)).toEqual([
      'group:default/squad',
    ]);
    expect(oscar.body.flags).toContain('uncountedMemberships');
    expect(oscar.body.uncountedMemberships).toEqual([
      {
        groupRef: 'group:default/legacy-admins',
        reason: 'untrusted-origin',
        path: ['user:default/oscar', 'group:default/legacy-admins'],
        declaredBy: 'group:default/legacy-admins',
        origin: `file:${files.resolve('legacy-hr.yaml')}`,
        // What the untrusted group was after.
        reaches: ['group:default/platform-admins'],
      },
    ]);
    expect(await mayDelete('user:default/oscar')).toBe(false);
  });

  it("shows another directory's claims on corp's admin group as not counted", async () => {
    const cora = await get('/users/default/cora');
    expect(cora.body.memberships.map((m: any) => m.groupRef)).toEqual([
      'group:default/contractor-leads',
    ]);
    expect(
      cora.body.uncountedMemberships.map((u: any) => [
        u.groupRef,
        u.reason,
        u.directory,
      ]),
    ).toEqual([
      ['group:default/platform-admins', 'other-directory', 'contractors'],
      ['group:default/platform-admins', 'other-directory', 'contractors'],
    ]);
    // One is cora's own claim, the other her group's claim to sit under
    // platform-admins.
    const paths = cora.body.uncountedMemberships.map((u: any) => u.path);
    expect(paths).toContainEqual([
      'user:default/cora',
      'group:default/platform-admins',
    ]);
    expect(paths).toContainEqual([
      'user:default/cora',
      'group:default/contractor-leads',
      'group:default/platform-admins',
    ]);
    expect(await mayDelete('user:default/cora')).toBe(false);
    expect(await mayDelete('user:default/carl')).toBe(false);
  });

  it('filters and counts the users with memberships that do not count', async () => {
    const res = await get('/users?status=uncountedMemberships&sort=name');
    expect(res.status).toBe(200);
    expect(res.body.items.map((u: any) => u.name)).toEqual([
      'carl',
      'cora',
      'oscar',
    ]);
  });

  it('counts for every user exactly what the policy counts', async () => {
    const users = await get('/users?limit=100');
    const refs: string[] = users.body.items.map((u: any) => u.entityRef);
    expect(refs).toHaveLength(5);
    for (const ref of refs) {
      const [, name] = ref.split('/');
      const detail = await get(`/users/default/${name}`);
      const pageSaysAdmin = detail.body.memberships.some(
        (m: any) => m.groupRef === 'group:default/platform-admins',
      );
      expect([ref, await mayDelete(ref)]).toEqual([ref, pageSaysAdmin]);
    }
    expect(await mayDelete(ADMIN)).toBe(true);
  });
});
