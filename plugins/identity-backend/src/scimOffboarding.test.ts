import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import catalogModuleScim from '@identity-governance/plugin-catalog-backend-module-scim';
// This test runs the identity plugin against the real scim plugin, over
// HTTP, as a backend installs them; nothing else imports another plugin.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import scimPlugin from '@identity-governance/plugin-scim-backend';
import request from 'supertest';
import {
  ADMIN,
  NOBODY,
  READER,
  eventually,
  testPolicyModule,
} from './__testUtils__/testPolicy';
import identityPlugin from './index';

jest.setTimeout(120_000);

const SCIM_TOKEN = 'entra-identity-test-token-0123456789';

// A record that claims to be SCIM's but that the SCIM store does not hold.
const impostorYaml = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: file-admins
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: impostor
  annotations:
    scim.identity-governance.io/idp: entra
    scim.identity-governance.io/id: no-such-scim-id
spec:
  profile:
    email: impostor@example.com
  memberOf: []
`;

describe('offboarding SCIM-provisioned users with the real scim plugin', () => {
  const mockDir = createMockDirectory();
  let backend: TestBackend;

  const asUser = (ref: string) => ({
    Authorization: mockCredentials.user.header(ref),
  });
  // Verification reads as a service: mock user tokens lose their actor on
  // the catalog's hop to the permission backend.
  const asService = { Authorization: mockCredentials.service.header() };
  const scim = {
    post: (path: string, body: object) =>
      request(backend.server)
        .post(`/api/scim/v2${path}`)
        .set('Authorization', `Bearer ${SCIM_TOKEN}`)
        .set('Content-Type', 'application/scim+json')
        .send(body),
    get: (path: string) =>
      request(backend.server)
        .get(`/api/scim/v2${path}`)
        .set('Authorization', `Bearer ${SCIM_TOKEN}`),
  };
  const identity = (path: string, ref = ADMIN) =>
    request(backend.server).get(`/api/identity${path}`).set(asUser(ref));
  const catalogUser = (name: string) =>
    request(backend.server)
      .get(`/api/catalog/entities/by-name/user/default/${name}`)
      .set(asService);

  beforeAll(async () => {
    mockDir.setContent({ 'impostor.yaml': impostorYaml });
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        permissionPlugin,
        testPolicyModule,
        identityPlugin,
        // The scim plugin and its catalog module.
        scimPlugin,
        catalogModuleScim,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: [{ allow: ['User', 'Group', 'Location'] }],
              locations: [
                { type: 'file', target: mockDir.resolve('impostor.yaml') },
              ],
            },
            scim: {
              identityProviders: [{ name: 'entra', token: SCIM_TOKEN }],
              // Full mutations often, so "stays gone" means something.
              reconciliation: {
                schedule: {
                  frequency: { seconds: 1 },
                  timeout: { seconds: 30 },
                },
              },
            },
            identity: { refresh: { interval: { seconds: 1 } } },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('deactivates the user in the SCIM module, and it stays gone', async () => {
    const created = await scim.post('/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'sally@example.com',
      displayName: 'Sally Scim',
      emails: [{ value: 'sally@example.com', type: 'work', primary: true }],
      active: true,
    });
    expect(created.status).toBe(201);
    const scimId: string = created.body.id;

    // The index shows the user as SCIM-managed, with the recorded history.
    const detail = await eventually(async () => {
      const res = await identity('/users/default/sally');
      expect(res.status).toBe(200);
      expect(res.body.source).toBe('scim');
      return res.body;
    });
    expect(detail.provenance.provisioning).toMatchObject({
      idp: 'entra',
      scimId,
      userName: 'sally@example.com',
      active: true,
    });
    expect(detail.provenance.provisioning.history).toEqual([
      expect.objectContaining({
        action: 'created',
        idp: 'entra',
        at: expect.any(String),
      }),
    ]);

    const preview = await identity('/users/default/sally/offboard');
    expect(preview.body).toMatchObject({
      entityRef: 'user:default/sally',
      action: 'scimDeactivate',
      willReturn: false,
      supported: true,
      managedByLocation: 'scim:entra',
    });
    expect(preview.body.message).toMatch(/deactivates it in the SCIM plugin/);

    // Only offboarders may; nothing is deactivated for the others.
    const denied = await request(backend.server)
      .post('/api/identity/users/default/sally/offboard')
      .set(asUser(READER));
    expect(denied.status).toBe(403);

    const done = await request(backend.server)
      .post('/api/identity/users/default/sally/offboard')
      .set(asUser(ADMIN));
    expect([done.status, done.body.error?.message]).toEqual([200, undefined]);
    expect(done.body).toMatchObject({
      entityRef: 'user:default/sally',
      action: 'scimDeactivate',
      willReturn: false,
    });

    // Inactive in the SCIM store, which records who asked.
    const resource = await scim.get(`/Users/${scimId}`);
    expect(resource.status).toBe(200);
    expect(resource.body.active).toBe(false);
    const history = await request(backend.server)
      .get(`/api/scim/history?entityRef=user:default/sally`)
      .set(asService);
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({
      action: 'deactivated',
      idp: 'entra',
      resourceId: scimId,
      details: { deactivatedBy: ADMIN, via: 'plugin:identity' },
    });

    // Gone from the catalog and from the index.
    await eventually(async () => {
      expect((await catalogUser('sally')).status).toBe(404);
      expect((await identity('/users/default/sally')).status).toBe(404);
    });

    // Still gone after a catalog refresh (the catalog has nothing left to
    // refresh), the SCIM provider's full runs (every second here), the
    // catalog's processing and the index's refreshes.
    const refresh = await request(backend.server)
      .post('/api/catalog/refresh')
      .set(asService)
      .send({ entityRef: 'user:default/sally' });
    expect(refresh.status).toBe(404);
    await new Promise(r => setTimeout(r, 4000));
    expect((await catalogUser('sally')).status).toBe(404);
    expect((await identity('/users/default/sally')).status).toBe(404);
    expect((await scim.get(`/Users/${scimId}`)).body.active).toBe(false);
  });

  it('answers 404 when the SCIM module does not hold the record', async () => {
    await eventually(async () => {
      const res = await identity('/users/default/impostor');
      expect(res.status).toBe(200);
      expect(res.body.source).toBe('scim');
    });
    // The detail does not fail: the SCIM module has no history for it.
    const detail = await identity('/users/default/impostor');
    expect(detail.body.provenance.provisioning).toMatchObject({
      idp: 'entra',
      scimId: 'no-such-scim-id',
      history: [],
    });

    const res = await request(backend.server)
      .post('/api/identity/users/default/impostor/offboard')
      .set(asUser(ADMIN));
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
    expect(res.body.error.message).toMatch(
      /The scim plugin cannot deactivate user no-such-scim-id of entra/,
    );
    // Nothing was deleted.
    expect((await catalogUser('impostor')).status).toBe(200);
    expect((await identity('/users/default/impostor')).status).toBe(200);
  });

  it('shows a SCIM record that would take a file user as a source conflict', async () => {
    // The file provides user:default/impostor; an entra record deriving the
    // same name is held back, and the page says so on that user.
    await eventually(async () => {
      expect((await catalogUser('impostor')).status).toBe(200);
    });
    const created = await scim.post('/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'impostor@elsewhere.example',
      active: true,
    });
    expect(created.status).toBe(201);

    const detail = await eventually(async () => {
      const res = await identity('/users/default/impostor');
      expect(res.status).toBe(200);
      expect(res.body.sourceConflicts).toHaveLength(1);
      return res.body;
    });
    expect(detail.sourceConflicts[0]).toMatchObject({
      idp: 'entra',
      resourceType: 'User',
      resourceId: created.body.id,
      entityRef: 'user:default/impostor',
      otherOrigin: `file:${mockDir.resolve('impostor.yaml')}`,
    });
    // The file's entity stays the one in the catalog.
    const entity = await catalogUser('impostor');
    expect(
      entity.body.metadata.annotations[
        'backstage.io/managed-by-origin-location'
      ],
    ).toBe(`file:${mockDir.resolve('impostor.yaml')}`);

    const list = await identity('/conflicts');
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ resourceId: created.body.id }),
    );
    expect((await identity('/conflicts', NOBODY)).status).toBe(403);
  });

  it("shows a membership in a group the IdP may not take as one that does not count: 'conflict'", async () => {
    // The file provides group:default/file-admins; entra sends a group of
    // that name with its own user as a member. The group is held back and
    // the user's membership in it is never emitted, so nothing grants
    // through it; the user's detail says why.
    await eventually(async () => {
      expect(
        (
          await request(backend.server)
            .get('/api/catalog/entities/by-name/group/default/file-admins')
            .set(asService)
        ).status,
      ).toBe(200);
    });
    const mallory = await scim.post('/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'mallory@example.com',
      active: true,
    });
    expect(mallory.status).toBe(201);
    const group = await scim.post('/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'file-admins',
      members: [{ value: mallory.body.id }],
    });
    expect(group.status).toBe(201);

    const detail = await eventually(async () => {
      const res = await identity('/users/default/mallory');
      expect(res.status).toBe(200);
      expect(res.body.uncountedMemberships).toHaveLength(1);
      return res.body;
    });
    expect(detail.uncountedMemberships).toEqual([
      {
        groupRef: 'group:default/file-admins',
        reason: 'conflict',
        path: ['user:default/mallory', 'group:default/file-admins'],
        declaredBy: `scim:entra/Groups/${group.body.id}`,
        origin: 'scim:entra',
      },
    ]);
    expect(detail.memberships).toEqual([]);
    expect(detail.sourceConflicts).toBeUndefined();
    // Another user's detail does not show it.
    const other = await identity('/users/default/impostor');
    expect(other.body.uncountedMemberships).toEqual([]);

    // The index lists it as the engine's own: the flag on the user, the
    // summary's count and the list filter.
    const flagged = await identity(
      '/users?status=uncountedMemberships&limit=100',
    );
    expect(flagged.status).toBe(200);
    expect(flagged.body.items.map((u: { name: string }) => u.name)).toEqual([
      'mallory',
    ]);
    expect(flagged.body.items[0].flags).toContain('uncountedMemberships');
    expect(
      (await identity('/summary')).body.byStatus.uncountedMemberships,
    ).toBe(1);

    // The IdP drops the group: nothing is held and the flag goes.
    const deleted = await request(backend.server)
      .delete(`/api/scim/v2/Groups/${group.body.id}`)
      .set('Authorization', `Bearer ${SCIM_TOKEN}`);
    expect(deleted.status).toBe(204);
    await eventually(async () => {
      const res = await identity('/users/default/mallory');
      expect(res.body.uncountedMemberships).toEqual([]);
      expect(res.body.flags).not.toContain('uncountedMemberships');
    });
    expect(
      (await identity('/users?status=uncountedMemberships')).body.items,
    ).toEqual([]);
    expect(
      (await identity('/summary')).body.byStatus.uncountedMemberships,
    ).toBe(0);
  });
});
