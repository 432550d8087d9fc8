import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import {
  GROUP_SCHEMA,
  OKTA_TOKEN,
  ScimClient,
  patchOp,
  scimClient,
  startScimBackend,
  userBody,
} from '../__testUtils__/scimTestBackend';
import catalogModuleScim from '@identity-governance/plugin-catalog-backend-module-scim';

jest.setTimeout(120_000);

/** Polls until check passes; the catalog processes asynchronously. */
async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 250));
    }
  }
}

const ADMIN = 'user:default/identity-admin';

/** Everything is allowed, except the SCIM portal's permissions to non-admins. */
const permissions = mockServices.permissions.mock({
  authorize: async (requests, options) =>
    requests.map(r => ({
      result:
        !['identity.read', 'scim.conflict.adopt'].includes(r.permission.name) ||
        (options?.credentials.principal as any)?.userEntityRef === ADMIN
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    })),
  // The catalog's reads ask this; they stay open.
  authorizeConditional: async requests =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
});

/** The tests register and delete file locations through the catalog API. */
const allowFileLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-file-locations',
  register(env) {
    env.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});

/** A catalog file of users, as YAML documents (JSON is YAML). */
function writeUsers(file: string, names: string[]) {
  fs.writeFileSync(
    file,
    names
      .map(name =>
        JSON.stringify({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name },
          spec: { memberOf: [] },
        }),
      )
      .join('\n---\n'),
  );
}

const relationsOf = (entity: any, type: string): string[] =>
  (entity.relations ?? [])
    .filter((r: any) => r.type === type)
    .map((r: any) => r.targetRef)
    .sort();

/**
 * A SCIM IdP and another source (a catalog file) that both claim the same
 * entity refs: the IdP may neither take over the other source's entities nor
 * reach into them through memberships.
 */
describe('SCIM and entities another source provides', () => {
  let backend: Awaited<ReturnType<typeof startScimBackend>>['backend'];
  let entra: ScimClient;
  let dir: string;
  let orgFile: string;

  const catalog = (p: string) =>
    request(backend.server)
      .get(`/api/catalog${p}`)
      .set('Authorization', mockCredentials.user.header());

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-ownership-'));
    orgFile = path.join(dir, 'org.yaml');
    fs.writeFileSync(
      orgFile,
      [
        {
          kind: 'Group',
          metadata: { name: 'platform-admins' },
          spec: { type: 'team', children: [], members: ['fred.file'] },
        },
        {
          kind: 'User',
          metadata: { name: 'fred.file' },
          spec: { memberOf: [] },
        },
      ]
        .map(e => JSON.stringify({ apiVersion: 'backstage.io/v1alpha1', ...e }))
        .join('\n---\n'),
    );
    ({ backend, client: entra } = await startScimBackend(
      [
        catalogPlugin,
        catalogModuleScim,
        allowFileLocations,
        permissions.factory,
        // The real scheduler, so that reconciliations run every 2s (the
        // mock one runs each task once, at startup).
        schedulerServiceFactory,
      ],
      {
        catalog: {
          processingInterval: { seconds: 1 },
          rules: [{ allow: ['User', 'Group', 'Location'] }],
          locations: [{ type: 'file', target: orgFile }],
        },
        scim: {
          identityProviders: [
            { name: 'entra', token: 'entra-test-token-0123456789' },
            {
              name: 'okta',
              token: 'okta-test-token-9876543210',
              adoptFrom: ['file'],
            },
          ],
          reconciliation: {
            schedule: { frequency: { seconds: 2 }, timeout: { seconds: 30 } },
          },
        },
      },
    ));
    // The file's entities are in the catalog before any test starts.
    await eventually(async () => {
      const group = await catalog(
        '/entities/by-name/group/default/platform-admins',
      );
      const fred = await catalog('/entities/by-name/user/default/fred.file');
      if (
        relationsOf(fred.body, 'memberOf')[0] !==
          'group:default/platform-admins' ||
        relationsOf(group.body, 'hasMember')[0] !== 'user:default/fred.file'
      ) {
        throw new Error('The file entities are not in the catalog yet');
      }
    });
  });

  afterAll(async () => {
    await backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never emits a membership in a group the IdP does not provision', async () => {
    const mallory = (
      await entra.post('/Users', userBody('mallory@e2e.example'))
    ).body;
    // The SCIM twin of a file user: held back, so no SCIM group may list it.
    const fred = (
      await entra.post('/Users', userBody('fred.file@scim.example'))
    ).body;
    const admins = await entra.post('/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'platform-admins',
      members: [{ value: mallory.id }, { value: fred.id }],
    });
    expect(admins.status).toBe(201);
    // A group the IdP does provision, created afterwards: once mallory shows
    // its membership, the changes before it have been applied too.
    const team = await entra.post('/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Mallory Team',
      members: [{ value: mallory.id }, { value: fred.id }],
    });
    expect(team.status).toBe(201);

    const user = await eventually(async () => {
      const res = await catalog('/entities/by-name/user/default/mallory');
      expect(res.status).toBe(200);
      expect(relationsOf(res.body, 'memberOf')).toContain(
        'group:default/mallory_team',
      );
      return res.body;
    });
    // Memberships are declared by the SCIM group alone.
    expect(user.spec.memberOf).toEqual([]);
    expect(relationsOf(user, 'memberOf')).toEqual([
      'group:default/mallory_team',
    ]);

    // The file's group is still the file's, with its own members only.
    const fileGroup = await catalog(
      '/entities/by-name/group/default/platform-admins',
    );
    expect(fileGroup.body.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-origin-location': `file:${orgFile}`,
    });
    expect(relationsOf(fileGroup.body, 'hasMember')).toEqual([
      'user:default/fred.file',
    ]);

    // The SCIM group lists mallory, not the file's fred.
    const scimTeam = await eventually(async () => {
      const res = await catalog('/entities/by-name/group/default/mallory_team');
      expect(res.status).toBe(200);
      return res.body;
    });
    expect(scimTeam.spec.members).toEqual(['user:default/mallory']);
    const fileUser = await catalog('/entities/by-name/user/default/fred.file');
    expect(fileUser.body.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-origin-location': `file:${orgFile}`,
    });
    expect(relationsOf(fileUser.body, 'memberOf')).toEqual([
      'group:default/platform-admins',
    ]);
  });
  const asAdmin = { Authorization: mockCredentials.user.header(ADMIN) };
  const asUser = { Authorization: mockCredentials.user.header() };

  /** Registers a file location of users; returns its id once they show. */
  async function addUserLocation(file: string, names: string[]) {
    writeUsers(file, names);
    const res = await request(backend.server)
      .post('/api/catalog/locations')
      .set(asUser)
      .send({ type: 'file', target: file });
    expect([res.status, res.body.error?.message]).toEqual([201, undefined]);
    for (const name of names) {
      await eventually(async () => {
        const user = await catalog(`/entities/by-name/user/default/${name}`);
        expect(user.status).toBe(200);
        expect(user.body.metadata.annotations).toMatchObject({
          'backstage.io/managed-by-origin-location': `file:${file}`,
        });
      });
    }
    return res.body.location.id as string;
  }

  async function removeLocation(id: string, names: string[]) {
    const res = await request(backend.server)
      .delete(`/api/catalog/locations/${id}`)
      .set(asUser);
    expect(res.status).toBe(204);
    for (const name of names) {
      await eventually(async () => {
        expect(
          (await catalog(`/entities/by-name/user/default/${name}`)).status,
        ).toBe(404);
      });
    }
  }

  /**
   * Waits until the provider has applied the changes made so far (a new
   * user shows) and a few reconciliations (every 2s) have run since.
   */
  async function settle(name: string) {
    expect(
      (await entra.post('/Users', userBody(`${name}@settle.example`))).status,
    ).toBe(201);
    await eventually(async () => {
      expect(
        (await catalog(`/entities/by-name/user/default/${name}`)).status,
      ).toBe(200);
    });
    await new Promise(r => setTimeout(r, 5000));
  }

  it('holds a record whose entity another source provided as a conflict, also after that source is gone', async () => {
    const file = path.join(dir, 'people.yaml');
    const locationId = await addUserLocation(file, ['oscar.ordinary']);

    const oscar = (
      await entra.post(
        '/Users',
        userBody('oscar.ordinary@elsewhere.example', {
          displayName: 'Oscar from Entra',
        }),
      )
    ).body;
    const conflict = {
      idp: 'entra',
      resourceType: 'User',
      resourceId: oscar.id,
      entityRef: 'user:default/oscar.ordinary',
      otherOrigin: `file:${file}`,
      detectedAt: expect.any(String),
    };
    const conflicts = await eventually(async () => {
      const res = await request(backend.server)
        .get('/api/scim/conflicts')
        .set(asAdmin);
      expect(res.status).toBe(200);
      expect(res.body.items).toContainEqual(conflict);
      return res.body.items;
    });
    // Besides those of the test before.
    expect(conflicts.map((c: any) => c.entityRef).sort()).toEqual([
      'group:default/platform-admins',
      'user:default/fred.file',
      'user:default/oscar.ordinary',
    ]);
    // One ref's, as a user's detail asks, whatever its case.
    const oscars = await request(backend.server)
      .get('/api/scim/conflicts?entityRef=User:default/Oscar.Ordinary')
      .set(asAdmin);
    expect(oscars.body.items).toEqual([conflict]);
    expect(
      (
        await request(backend.server)
          .get('/api/scim/conflicts?entityRef=a&entityRef=b')
          .set(asAdmin)
      ).status,
    ).toBe(400);
    // Ordinary users may not read them (identity.read).
    expect(
      (await request(backend.server).get('/api/scim/conflicts').set(asUser))
        .status,
    ).toBe(403);
    const history = await request(backend.server)
      .get(`/api/scim/history?resourceId=${oscar.id}`)
      .set(asAdmin);
    expect(history.body.items[0]).toEqual({
      idp: 'entra',
      resourceType: 'User',
      resourceId: oscar.id,
      entityRef: 'user:default/oscar.ordinary',
      action: 'conflict',
      at: expect.any(String),
      details: { otherOrigin: `file:${file}` },
      conflict: {
        entityRef: 'user:default/oscar.ordinary',
        otherOrigin: `file:${file}`,
        detectedAt: expect.any(String),
      },
    });

    // The file's entity leaves the catalog; the SCIM record changes, and
    // reconciliations run: the ref stays unclaimed.
    await removeLocation(locationId, ['oscar.ordinary']);
    await entra.patch(
      `/Users/${oscar.id}`,
      patchOp({ op: 'replace', path: 'displayName', value: 'Oscar again' }),
    );
    await settle('sentinel.one');
    expect(
      (await catalog('/entities/by-name/user/default/oscar.ordinary')).status,
    ).toBe(404);

    // Until an admin adopts it: an ordinary user may not.
    const refused = await request(backend.server)
      .post(`/api/scim/conflicts/entra/${oscar.id}/adopt`)
      .set(asUser);
    expect(refused.status).toBe(403);
    expect(refused.body.error.name).toBe('NotAllowedError');
    const adopted = await request(backend.server)
      .post(`/api/scim/conflicts/entra/${oscar.id}/adopt`)
      .set(asAdmin);
    expect(adopted.status).toBe(200);
    expect(adopted.body).toEqual({
      idp: 'entra',
      resourceType: 'User',
      resourceId: oscar.id,
      entityRef: 'user:default/oscar.ordinary',
      adoptedFrom: `file:${file}`,
      adoptedBy: ADMIN,
    });
    const entity = await eventually(async () => {
      const res = await catalog(
        '/entities/by-name/user/default/oscar.ordinary',
      );
      expect(res.status).toBe(200);
      return res.body;
    });
    expect(entity.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-origin-location': 'scim:entra',
      'scim.identity-governance.io/id': oscar.id,
    });
    const after = await request(backend.server)
      .get(`/api/scim/history?resourceId=${oscar.id}`)
      .set(asAdmin);
    expect(after.body.items[0]).toMatchObject({
      action: 'adopted',
      details: { from: `file:${file}`, by: ADMIN },
    });
    expect(after.body.items[0].conflict).toBeUndefined();
    const left = await request(backend.server)
      .get('/api/scim/conflicts')
      .set(asAdmin);
    expect(left.body.items.map((c: any) => c.resourceId)).not.toContain(
      oscar.id,
    );
    // Nothing left to adopt.
    expect(
      (
        await request(backend.server)
          .post(`/api/scim/conflicts/entra/${oscar.id}/adopt`)
          .set(asAdmin)
      ).status,
    ).toBe(404);
  });

  it('lets an IdP adopt from the sources its adoptFrom names', async () => {
    const okta = scimClient(backend.server, OKTA_TOKEN);
    const file = path.join(dir, 'migrating.yaml');
    const locationId = await addUserLocation(file, ['olga.okta']);
    const olga = (await okta.post('/Users', userBody('olga.okta@okta.example')))
      .body;
    // The file still provides it: the catalog keeps the file's entity.
    await settle('sentinel.two');
    const kept = await catalog('/entities/by-name/user/default/olga.okta');
    expect(kept.body.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-origin-location': `file:${file}`,
    });
    const conflicts = await request(backend.server)
      .get('/api/scim/conflicts')
      .set(asAdmin);
    expect(conflicts.body.items.map((c: any) => c.resourceId)).not.toContain(
      olga.id,
    );
    // The file location goes: the SCIM record takes over.
    await removeLocation(locationId, []);
    await eventually(async () => {
      const res = await catalog('/entities/by-name/user/default/olga.okta');
      expect(res.status).toBe(200);
      expect(res.body.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-origin-location': 'scim:okta',
        'scim.identity-governance.io/id': olga.id,
      });
    });
    const history = await request(backend.server)
      .get(`/api/scim/history?resourceId=${olga.id}`)
      .set(asAdmin);
    expect(history.body.items.map((h: any) => h.action)).toEqual([
      'adopted',
      'created',
    ]);
    expect(history.body.items[0].details).toEqual({
      from: `file:${file}`,
      by: 'config',
    });
  });
});
