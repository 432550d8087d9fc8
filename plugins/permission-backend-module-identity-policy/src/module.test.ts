import {
  createMockDirectory,
  mockServices,
  TestDatabaseId,
  TestDatabases,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import authPlugin from '@backstage/plugin-auth-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  catalogFile,
  catalogSource,
  demoOrganisation,
} from '@identity-governance/plugin-identity-node/testUtils';
import request from 'supertest';
import {
  LogLine,
  createRecordingRootLogger,
} from './__testUtils__/recordingRootLogger';
import {
  createTestDirectoryModule,
  DIRECTORY_ORIGIN,
} from './__testUtils__/testDirectoryModule';
import {
  createTestSignInModule,
  TEST_USER_HEADER,
} from './__testUtils__/testSignInModule';
import policyModule from './index';

const CACHE_TTL_SECONDS = 1;

const SERVICE_TOKEN = 'test-reader-token-with-full-access';
const READ_ONLY_TOKEN = 'test-reader-token-restricted-to-reads';
const service = `Bearer ${SERVICE_TOKEN}`;
/** No Authorization header at all. */
const UNAUTHENTICATED = 'unauthenticated';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Waits for the catalog to have processed something; not a timing assertion. */
async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await sleep(100);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Each plugin in its own schema of one throwaway PostgreSQL database. */
async function databaseConfig(databaseId: TestDatabaseId) {
  if (databaseId === 'SQLITE_3') {
    return { client: 'better-sqlite3', connection: ':memory:' };
  }
  const knex = await databases.init(databaseId);
  return {
    client: 'pg',
    connection: knex.client.config.connection,
    pluginDivisionMode: 'schema',
  };
}

describe.each(databases.eachSupportedId())(
  'identity policy with the real catalog and permission backends, on %s',
  databaseId => {
    const files = createMockDirectory();
    const directory = createTestDirectoryModule(
      demoOrganisation(DIRECTORY_ORIGIN),
    );
    const logs = createRecordingRootLogger();
    let backend: TestBackend;
    let http: ReturnType<typeof request>;

    // What users register: catalog files, annotated by the catalog.
    const registered = catalogSource();

    beforeAll(async () => {
      files.setContent({
        'evil.yaml': catalogFile([
          // Dana declares a group under platform-admins with herself in it.
          registered.group('evil', {
            parent: 'platform-admins',
            members: ['dana.dev'],
          }),
        ]),
        'contractors.yaml': catalogFile([
          registered.user('contractor-1'),
          registered.user('contractor-2'),
        ]),
        'ada.yaml': catalogFile([
          registered.component(
            'ada-registered',
            'group:default/platform-admins',
          ),
        ]),
        'nina.yaml': catalogFile([]),
      });

      backend = await startTestBackend({
        features: [
          catalogPlugin,
          permissionPlugin,
          policyModule,
          directory.feature,
          logs.factory,
          // Real tokens and real token checks, as in production: the catalog
          // calls the permission backend with on-behalf-of tokens.
          authPlugin,
          authServiceFactory,
          httpAuthServiceFactory,
          userInfoServiceFactory,
          // Rita's token carries the admin group, as one issued before she left
          // it would: the policy must not rely on sign-in claims.
          createTestSignInModule({
            'user:default/rita.removed': ['group:default/platform-admins'],
          }),
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              backend: {
                database: await databaseConfig(databaseId),
                auth: {
                  externalAccess: [
                    {
                      type: 'static',
                      options: { token: SERVICE_TOKEN, subject: 'test-reader' },
                    },
                    {
                      type: 'static',
                      options: { token: READ_ONLY_TOKEN, subject: 'reporting' },
                      accessRestrictions: [
                        {
                          plugin: 'catalog',
                          permissionAttribute: { action: ['read'] },
                        },
                      ],
                    },
                  ],
                },
              },
              app: { baseUrl: 'http://localhost:3000' },
              auth: { providers: { test: {} } },
              catalog: {
                rules: [
                  {
                    allow: [
                      'Component',
                      'System',
                      'API',
                      'Group',
                      'User',
                      'Location',
                    ],
                  },
                ],
              },
              identityPolicy: {
                adminGroups: ['group:default/platform-admins'],
                rules: [
                  {
                    permission: 'catalog.entity.refresh',
                    allowGroups: ['group:default/sre'],
                  },
                  {
                    permission: 'catalog.location.create',
                    allowGroups: ['group:default/developers'],
                  },
                  { permission: 'catalog.entity.delete', allowOwners: true },
                ],
                membership: { cacheTtlSeconds: CACHE_TTL_SECONDS },
                trustedOrigins: ['test-directory'],
              },
            },
          }),
        ],
      });
      http = request(backend.server);
      await directory.ready;
      await eventually(async () => {
        const res = await http
          .get('/api/catalog/entities/by-name/component/default/owned-by-sre')
          .set('authorization', service);
        const rita = await http
          .get('/api/catalog/entities/by-name/user/default/rita.removed')
          .set('authorization', service);
        return res.status === 200 && rita.status === 200 ? true : undefined;
      }, 'the demo organisation in the catalog');
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const tokens = new Map<string, string>();
    /** The Authorization header of a signed-in user, or none. */
    async function as(name: string): Promise<string | undefined> {
      if (name === UNAUTHENTICATED) {
        return undefined;
      }
      if (!tokens.has(name)) {
        const res = await http
          .get('/api/auth/test/refresh')
          .set(TEST_USER_HEADER, `user:default/${name}`)
          .set('x-requested-with', 'XMLHttpRequest');
        expect(res.status).toBe(200);
        tokens.set(name, res.body.backstageIdentity.token);
      }
      return `Bearer ${tokens.get(name)}`;
    }

    const send = <T extends request.Test>(req: T, auth: string | undefined) =>
      auth ? req.set('authorization', auth) : req;

    async function entity(kind: string, name: string) {
      const res = await http
        .get(`/api/catalog/entities/by-name/${kind}/default/${name}`)
        .set('authorization', service);
      return res.status === 200 ? (res.body as Entity) : undefined;
    }

    async function uidOf(name: string) {
      const found = await entity('component', name);
      if (!found) {
        throw new Error(`no component ${name}`);
      }
      return found.metadata.uid!;
    }

    const deleteByUid = async (name: string, who: string) =>
      (
        await send(
          http.delete(`/api/catalog/entities/by-uid/${await uidOf(name)}`),
          await as(who),
        )
      ).status;

    const refresh = async (who: string) =>
      (
        await send(http.post('/api/catalog/refresh'), await as(who)).send({
          entityRef: 'component:default/platform-service',
        })
      ).status;

    const createLocation = async (file: string, who: string) =>
      send(http.post('/api/catalog/locations'), await as(who)).send({
        type: 'file',
        target: files.resolve(file),
      });

    const deleteLocation = async (id: string, who: string) =>
      (await send(http.delete(`/api/catalog/locations/${id}`), await as(who)))
        .status;

    async function authorize(who: string, items: object[]) {
      const res = await send(
        http.post('/api/permission/authorize'),
        await as(who),
      ).send({ items: items.map((item, i) => ({ id: String(i), ...item })) });
      expect(res.status).toBe(200);
      return (res.body.items as Array<{ result: string }>).map(i => i.result);
    }

    const deletePermission = {
      type: 'resource',
      name: 'catalog.entity.delete',
      attributes: { action: 'delete' },
      resourceType: 'catalog-entity',
    };

    describe('DELETE /api/catalog/entities/by-uid/:uid', () => {
      it.each([
        ['an ordinary user', 'oscar.ordinary', 403],
        ['a user with refresh rights only', 'sam.sre', 403],
        ['an unauthenticated caller', UNAUTHENTICATED, 401],
      ])('denies %s and keeps the entity', async (_, who, status) => {
        expect(await deleteByUid('platform-service', who)).toBe(status);
        expect(await entity('component', 'platform-service')).toBeDefined();
      });

      it('allows an admin and a member of a nested admin group', async () => {
        expect(await deleteByUid('disposable-0', 'ada.admin')).toBe(204);
        expect(await entity('component', 'disposable-0')).toBeUndefined();
        expect(await deleteByUid('disposable-1', 'nina.nested')).toBe(204);
        expect(await entity('component', 'disposable-1')).toBeUndefined();
      });

      it('answers owner conditions alike in memory and in the database', async () => {
        const names = [
          'owned-by-squad',
          'owned-by-oscar',
          'owned-by-engineering', // through squad-a's parent group
          'owned-by-sre',
          'platform-service',
        ];
        // In memory: the permission backend applies the conditions to the
        // entity loaded by ref.
        const inMemory = await authorize(
          'oscar.ordinary',
          names.map(n => ({
            permission: deletePermission,
            resourceRef: `component:default/${n}`,
          })),
        );
        expect(inMemory).toEqual(['ALLOW', 'ALLOW', 'ALLOW', 'DENY', 'DENY']);
        // In the database: DELETE /entities/by-uid filters with the same
        // conditions.
        const statuses = [];
        for (const name of names) {
          statuses.push(await deleteByUid(name, 'oscar.ordinary'));
        }
        expect(statuses).toEqual(
          inMemory.map(r => (r === 'ALLOW' ? 204 : 403)),
        );
        expect(await entity('component', 'owned-by-sre')).toBeDefined();
      });
    });

    describe('POST /api/catalog/refresh', () => {
      it.each([
        ['an admin', 'ada.admin', 200],
        ['a member of a nested admin group', 'nina.nested', 200],
        ['a member of a group a rule allows', 'sam.sre', 200],
        ['an ordinary user', 'oscar.ordinary', 403],
        ['an unauthenticated caller', UNAUTHENTICATED, 401],
      ])('answers %s (%s) with %i', async (_, who, status) => {
        expect(await refresh(who)).toBe(status);
      });

      it('records one line per guarded decision, with the user, target and outcome', async () => {
        const before = logs.lines.length;
        await refresh('oscar.ordinary');
        const decisions = logs.lines
          .slice(before)
          .filter(
            (l: LogLine) =>
              l.message === 'permission.policy-decision' ||
              l.message === 'identity-policy decision',
          );
        expect(decisions).toEqual([
          expect.objectContaining({
            level: 'info',
            plugin: 'permission',
            user: 'user:default/oscar.ordinary',
            permission: 'catalog.entity.refresh',
            resourceRef: 'component:default/platform-service',
            result: 'DENY',
            reason: expect.stringContaining('not in an allowed group'),
          }),
        ]);
      });
    });

    describe('POST /api/catalog/locations', () => {
      it('allows an admin and a nested admin', async () => {
        expect((await createLocation('ada.yaml', 'ada.admin')).status).toBe(
          201,
        );
        expect((await createLocation('nina.yaml', 'nina.nested')).status).toBe(
          201,
        );
      });

      it.each([
        ['an ordinary user', 'oscar.ordinary', 403],
        ['a user with refresh rights only', 'sam.sre', 403],
        ['an unauthenticated caller', UNAUTHENTICATED, 401],
      ])('denies %s', async (_, who, status) => {
        expect((await createLocation('contractors.yaml', who)).status).toBe(
          status,
        );
      });
    });

    describe('DELETE /api/catalog/locations/:id', () => {
      it('does not let an ordinary user remove users by deleting their location', async () => {
        const created = await createLocation('contractors.yaml', 'ada.admin');
        expect(created.status).toBe(201);
        const id = created.body.location.id as string;
        await eventually(
          async () => (await entity('user', 'contractor-2')) && true,
          'the contractors in the catalog',
        );

        expect(await deleteLocation(id, 'oscar.ordinary')).toBe(403);
        expect(await deleteLocation(id, 'sam.sre')).toBe(403);
        expect(await deleteLocation(id, UNAUTHENTICATED)).toBe(401);
        expect(await entity('user', 'contractor-1')).toBeDefined();
        expect(await entity('user', 'contractor-2')).toBeDefined();

        expect(await deleteLocation(id, 'nina.nested')).toBe(204);
        expect(await entity('user', 'contractor-1')).toBeUndefined();
      });
    });

    describe('a location declaring its author an admin', () => {
      it('grants nothing when trusted origins are set', async () => {
        // Developers may register files, by rule.
        expect((await createLocation('evil.yaml', 'dana.dev')).status).toBe(
          201,
        );
        // The catalog itself believes it: Dana is a member of evil, a child of
        // platform-admins.
        await eventually(async () => {
          const dana = await entity('user', 'dana.dev');
          return dana?.relations?.some(
            r => r.type === 'memberOf' && r.targetRef === 'group:default/evil',
          )
            ? true
            : undefined;
        }, "the catalog's memberOf relation to the registered group");
        expect(
          (await entity('group', 'evil'))?.relations?.map(r => r.targetRef),
        ).toContain('group:default/platform-admins');
        await sleep(CACHE_TTL_SECONDS * 1000 + 200);

        expect(await deleteByUid('platform-service', 'dana.dev')).toBe(403);
        expect(await refresh('dana.dev')).toBe(403);
        expect(await entity('component', 'platform-service')).toBeDefined();
      });
    });

    describe('a user removed from the admin group', () => {
      it('loses access after the cache window, without signing out', async () => {
        expect(await refresh('rita.removed')).toBe(200);
        expect(
          await authorize('rita.removed', [
            {
              permission: deletePermission,
              resourceRef: 'component:default/platform-service',
            },
          ]),
        ).toEqual(['ALLOW']);

        await directory.update(
          catalogSource(DIRECTORY_ORIGIN).user('rita.removed', []),
        );
        await eventually(async () => {
          const rita = await entity('user', 'rita.removed');
          return rita && !rita.relations?.some(r => r.type === 'memberOf')
            ? true
            : undefined;
        }, 'the catalog to drop the membership');
        await sleep(CACHE_TTL_SECONDS * 1000 + 200);

        expect(await refresh('rita.removed')).toBe(403);
        expect(await deleteByUid('disposable-2', 'rita.removed')).toBe(403);
        expect(await entity('component', 'disposable-2')).toBeDefined();
        const created = await createLocation(
          'contractors.yaml',
          'rita.removed',
        );
        expect(created.status).toBe(403);
        const locations = await http
          .get('/api/catalog/locations')
          .set('authorization', service);
        const nina = (
          locations.body as Array<{ data: { id: string; target: string } }>
        )
          .map(l => l.data)
          .find(l => l.target.endsWith('nina.yaml'));
        expect(await deleteLocation(nina!.id, 'rita.removed')).toBe(403);
      });
    });

    describe('callers the policy never sees', () => {
      it('turns away unauthenticated callers before any decision', async () => {
        const res = await http.post('/api/permission/authorize').send({
          items: [
            {
              id: '1',
              permission: deletePermission,
              resourceRef: 'component:default/platform-service',
            },
          ],
        });
        expect(res.status).toBe(401);
      });

      it('limits service principals by their access restrictions', async () => {
        const readOnly = `Bearer ${READ_ONLY_TOKEN}`;
        const read = await http
          .get(
            '/api/catalog/entities/by-name/component/default/platform-service',
          )
          .set('authorization', readOnly);
        expect(read.status).toBe(200);
        const del = await http
          .delete(`/api/catalog/entities/by-uid/${read.body.metadata.uid}`)
          .set('authorization', readOnly);
        expect(del.status).toBe(403);
        expect(await entity('component', 'platform-service')).toBeDefined();
      });
    });
  },
);
