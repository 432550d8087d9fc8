import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogPermissions } from '@backstage/plugin-catalog-common/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { Permission } from '@backstage/plugin-permission-common';
import {
  AccessExplanation,
  DryRunResponse,
  GuardedPermissionInfo,
  identityPermissions,
  UserAccessResponse,
  WhoCanResponse,
} from '@identity-governance/plugin-identity-common';
import policyModule, {
  readIdentityPolicyConfig,
} from '@identity-governance/plugin-permission-backend-module-identity-policy';
import request from 'supertest';
import {
  catalogFile,
  DEMO_ORGANISATION_USERS,
  demoOrganisation,
} from '@identity-governance/plugin-identity-node/testUtils';
import { accessPolicyConfig } from './__testUtils__/accessPolicyConfig';
import {
  backendDatabaseConfig,
  backendDatabases,
} from './__testUtils__/backendDatabase';
import { eventually } from './__testUtils__/testPolicy';
import { testSignInModule } from './__testUtils__/testSignInModule';
import { userRequests } from './__testUtils__/userRequests';
import identityPlugin from './index';

jest.setTimeout(180_000);

const SERVICE_TOKEN = 'test-service-token-with-full-access';
const ADMIN = 'user:default/ada.admin';
const ORDINARY = 'user:default/oscar.ordinary';
const GUEST = 'user:development/guest';
/** Not in the catalog. */
const GHOST = 'user:default/ghost';

const permissionsByName = new Map<string, Permission>(
  [...catalogPermissions, ...identityPermissions].map(p => [p.name, p]),
);

/** A component whose owner is no user and no group of the organisation. */
const UNOWNED = 'component:default/unowned';
const OWNED_BY_SQUAD = 'component:default/owned-by-squad';

const isResourcePermission = (name: string) =>
  permissionsByName.get(name)?.type === 'resource';

describe.each(backendDatabases.eachSupportedId())(
  'effective access with the real catalog, permission backend and identity policy, on %s',
  databaseId => {
    const mockDir = createMockDirectory();
    let backend: TestBackend;
    let server: TestBackend['server'];

    const api = userRequests(() => server);
    /** A real Backstage token of the user, from the test sign-in provider. */
    const { as } = api;
    const get = (path: string, ref = ADMIN) => api.get(path, ref);
    const post = (path: string, body: object | string, ref = ADMIN) =>
      api.post(path, body, ref);

    /**
     * What the permission backend answers the user itself. It refuses a
     * user's own request for a resource permission without a resourceRef, so
     * those are asked about an entity nobody owns unless another is given:
     * every decision but an owner rule's is the same for every entity.
     */
    async function authorize(
      userRef: string,
      permissionName: string,
      resourceRef = isResourcePermission(permissionName) ? UNOWNED : undefined,
    ): Promise<string> {
      const permission = permissionsByName.get(permissionName)!;
      const res = await request(server)
        .post('/api/permission/authorize')
        .set(await as(userRef))
        .send({ items: [{ id: '1', permission, resourceRef }] });
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 200,
      });
      return res.body.items[0].result;
    }

    const toResult = (result: string) =>
      ({ ALLOW: 'allow', DENY: 'deny', CONDITIONAL: 'conditional' }[result]);

    async function checkResult(
      userEntityRef: string,
      permission: string,
      resourceRef?: string,
    ): Promise<string> {
      const res = await post('/access/check', {
        userEntityRef,
        permission,
        resourceRef,
      });
      expect(res.status).toBe(200);
      return res.body.result;
    }

    async function guardedNames(): Promise<string[]> {
      const res = await get('/access/permissions');
      expect(res.status).toBe(200);
      return (res.body.items as GuardedPermissionInfo[]).map(p => p.name);
    }

    beforeAll(async () => {
      mockDir.setContent({ 'org.yaml': catalogFile(demoOrganisation()) });
      backend = await startTestBackend({
        features: [
          catalogPlugin,
          permissionPlugin,
          policyModule,
          identityPlugin,
          schedulerServiceFactory,
          // Real tokens and token checks, as in production: the permission
          // backend applies catalog conditions on behalf of the user.
          authPlugin,
          authServiceFactory,
          httpAuthServiceFactory,
          userInfoServiceFactory,
          testSignInModule,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                database: await backendDatabaseConfig(databaseId),
                auth: {
                  externalAccess: [
                    {
                      type: 'static',
                      options: { token: SERVICE_TOKEN, subject: 'test' },
                    },
                  ],
                },
              },
              app: { baseUrl: 'http://localhost:3000' },
              auth: { providers: { test: {} } },
              permission: { enabled: true },
              catalog: {
                processingInterval: { seconds: 1 },
                rules: [{ allow: ['User', 'Group', 'Component', 'Location'] }],
                locations: [
                  { type: 'file', target: mockDir.resolve('org.yaml') },
                ],
              },
              identity: { refresh: { interval: { seconds: 1 } } },
              identityPolicy: accessPolicyConfig,
            },
          }),
        ],
      });
      server = backend.server;
      /* eslint-disable jest/no-standalone-expect */
      await eventually(async () => {
        const res = await get('/summary');
        expect(res.body.totalUsers).toBe(DEMO_ORGANISATION_USERS.length);
        const nina = await get('/users/default/nina.nested');
        expect(nina.body.inheritedGroupCount).toBe(1);
        const component = await request(server)
          .get('/api/catalog/entities/by-name/component/default/unowned')
          .set('Authorization', `Bearer ${SERVICE_TOKEN}`);
        expect(component.status).toBe(200);
      });
      /* eslint-enable jest/no-standalone-expect */
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('explains for every user and guarded permission exactly what POST /api/permission/authorize answers', async () => {
      const names = await guardedNames();
      expect(names.length).toBeGreaterThan(5);
      const differences: object[] = [];
      for (const userRef of [...DEMO_ORGANISATION_USERS, GHOST]) {
        const [, namespace, name] = userRef.match(/^user:([^/]+)\/(.+)$/)!;
        const res = await get(`/access/users/${namespace}/${name}`);
        expect(res.status).toBe(200);
        const body = res.body as UserAccessResponse;
        expect(body.userFound).toBe(userRef !== GHOST);
        expect(body.items.map(i => i.permission)).toEqual(names);
        for (const item of body.items) {
          let explained: string = item.result;
          if (explained === 'conditional') {
            // An owner rule: what it decides for an entity, asked both ways.
            explained = await checkResult(userRef, item.permission, UNOWNED);
            const owned = await checkResult(
              userRef,
              item.permission,
              OWNED_BY_SQUAD,
            );
            const answer = toResult(
              await authorize(userRef, item.permission, OWNED_BY_SQUAD),
            );
            if (answer !== owned) {
              differences.push({ userRef, item, OWNED_BY_SQUAD, answer });
            }
          }
          const answer = toResult(await authorize(userRef, item.permission));
          if (answer !== explained) {
            differences.push({ userRef, item, explained, answer });
          }
        }
      }
      expect(differences).toEqual([]);
    });

    it('names what decided, with the membership path', async () => {
      const check = async (userEntityRef: string, permission: string) => {
        const res = await post('/access/check', { userEntityRef, permission });
        expect(res.status).toBe(200);
        return res.body as AccessExplanation;
      };
      expect(
        await check('user:default/nina.nested', 'catalog.entity.delete'),
      ).toMatchObject({
        result: 'allow',
        decidedBy: {
          kind: 'admin-group',
          group: 'group:default/platform-admins',
        },
        path: [
          {
            from: 'user:default/nina.nested',
            to: 'group:default/platform-admins-emea',
          },
          {
            from: 'group:default/platform-admins-emea',
            to: 'group:default/platform-admins',
          },
        ],
      });
      expect(
        await check('user:default/sam.sre', 'catalog.entity.refresh'),
      ).toMatchObject({
        result: 'allow',
        decidedBy: { kind: 'rule', rule: 'identityPolicy.rules[0]' },
      });
      expect(await check('ghost', 'catalog.location.create')).toMatchObject({
        result: 'deny',
        decidedBy: { kind: 'not-in-allowed-group' },
        reason: 'not in an allowed group (no such user in the catalog)',
      });
      expect(
        await check('user:default/oscar.ordinary', 'catalog.entity.delete'),
      ).toMatchObject({
        result: 'conditional',
        decidedBy: { kind: 'owners', rule: 'identityPolicy.rules[2]' },
      });
    });

    it('evaluates owner rules against the entity as the catalog does', async () => {
      const cases = [
        ['component:default/owned-by-squad', 'allow'],
        ['component:default/owned-by-oscar', 'allow'],
        ['component:default/owned-by-engineering', 'allow'],
        ['component:default/owned-by-sre', 'deny'],
        ['component:default/not-there', 'deny'],
      ];
      for (const [resourceRef, expected] of cases) {
        const res = await post('/access/check', {
          userEntityRef: ORDINARY,
          permission: 'catalog.entity.delete',
          resourceRef,
        });
        expect(res.status).toBe(200);
        expect({ resourceRef, result: res.body.result }).toEqual({
          resourceRef,
          result: expected,
        });
        expect({
          resourceRef,
          result: toResult(
            await authorize(ORDINARY, 'catalog.entity.delete', resourceRef),
          ),
        }).toEqual({ resourceRef, result: expected });
      }
    });

    it('lists who can, exactly the users the permission backend allows', async () => {
      for (const name of await guardedNames()) {
        const listed: string[] = [];
        let totalItems = 0;
        for (let offset = 0; offset === 0 || offset < totalItems; offset += 2) {
          const res = await get(
            `/access/who-can/${name}?limit=2&offset=${offset}`,
          );
          expect(res.status).toBe(200);
          const body = res.body as WhoCanResponse;
          listed.push(...body.items.map(i => i.user.entityRef));
          totalItems = body.totalItems;
        }
        expect(listed).toHaveLength(totalItems);
        const allowed: string[] = [];
        for (const userRef of DEMO_ORGANISATION_USERS) {
          if ((await authorize(userRef, name)) === 'ALLOW') {
            allowed.push(userRef);
          }
        }
        expect({ name, users: listed.sort() }).toEqual({
          name,
          users: allowed.sort(),
        });
      }
    });

    it('shows paths and owner grants, and searches', async () => {
      const res = await get('/access/who-can/catalog.entity.delete');
      const body = res.body as WhoCanResponse;
      expect(body.guarded).toBe(true);
      expect(body.conditional).toEqual([
        { rule: 'identityPolicy.rules[2]', description: expect.any(String) },
      ]);
      expect(
        body.items.find(i => i.user.entityRef === 'user:default/nina.nested'),
      ).toMatchObject({
        groupRef: 'group:default/platform-admins',
        path: [
          'user:default/nina.nested',
          'group:default/platform-admins-emea',
          'group:default/platform-admins',
        ],
        decidedBy: { kind: 'admin-group' },
        user: { name: 'nina.nested', email: 'nina.nested@example.com' },
      });
      const searched = await get(
        '/access/who-can/catalog.entity.delete?q=NINA',
      );
      expect(
        searched.body.items.map((i: { user: { name: string } }) => i.user.name),
      ).toEqual(['nina.nested']);
      expect(searched.body.totalItems).toBe(1);

      const everyone = await get('/access/who-can/catalog.entity.read');
      expect(everyone.body).toMatchObject({
        guarded: false,
        everyone: true,
        items: [],
      });
    });

    it('exports who can as CSV', async () => {
      const res = await get('/access/who-can/catalog.entity.create/export.csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      const lines = res.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'user_ref,name,display_name,email,group_ref,path,decided_by',
      );
      expect(lines.slice(1)).toEqual([
        'user:default/ada.admin,ada.admin,ada.admin,ada.admin@example.com,group:default/platform-admins,user:default/ada.admin -> group:default/platform-admins,admin-group',
        'user:default/dana.dev,dana.dev,dana.dev,dana.dev@example.com,group:default/developers,user:default/dana.dev -> group:default/developers,rule identityPolicy.rules[1]',
        'user:default/nina.nested,nina.nested,nina.nested,nina.nested@example.com,group:default/platform-admins,user:default/nina.nested -> group:default/platform-admins-emea -> group:default/platform-admins,admin-group',
        'user:default/rita.removed,rita.removed,rita.removed,rita.removed@example.com,group:default/platform-admins,user:default/rita.removed -> group:default/platform-admins,admin-group',
      ]);
    });

    it('answers /access/me to any signed-in user, guests included', async () => {
      const guest = await get('/access/me', GUEST);
      expect(guest.status).toBe(200);
      expect(guest.body).toMatchObject({
        userEntityRef: GUEST,
        userFound: false,
      });
      // Denied everything; owner rules still hand out their condition.
      expect(
        (guest.body as UserAccessResponse).items
          .filter(i => i.result !== 'deny')
          .map(i => [i.result, i.decidedBy.kind]),
      ).toEqual([['conditional', 'owners']]);

      const oscar = await get('/access/me', ORDINARY);
      expect(oscar.status).toBe(200);
      expect(oscar.body.userEntityRef).toBe(ORDINARY);
      expect(
        oscar.body.items.find(
          (i: AccessExplanation) => i.permission === 'catalog.entity.delete',
        ).result,
      ).toBe('conditional');

      const service = await request(server)
        .get('/api/identity/access/me')
        .set('Authorization', `Bearer ${SERVICE_TOKEN}`);
      expect(service.status).toBeGreaterThanOrEqual(400);
      expect(service.status).toBeLessThan(500);
    });

    it('needs identity.read for everything but /access/me', async () => {
      for (const [method, path] of [
        ['get', '/access/users/default/ada.admin'],
        ['get', '/access/permissions'],
        ['get', '/access/who-can/catalog.entity.delete'],
        ['get', '/access/who-can/catalog.entity.delete/export.csv'],
        ['post', '/access/check'],
        ['post', '/access/dry-run'],
      ]) {
        const res =
          method === 'get'
            ? await get(path, ORDINARY)
            : await post(path, {}, ORDINARY);
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
      }
    });

    it('answers 400 to bad input', async () => {
      const unknown = await post('/access/check', {
        userEntityRef: ADMIN,
        permission: 'catalog.entity.delet',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.name).toBe('InputError');
      expect(unknown.body.error.message).toContain(
        "Unknown permission 'catalog.entity.delet'",
      );
      expect(unknown.body.error.message).toContain('catalog.entity.delete');

      for (const res of [
        await post('/access/check', { permission: 'catalog.entity.delete' }),
        await post('/access/check', {
          userEntityRef: ADMIN,
          permission: 'catalog.entity.delete',
          extra: true,
        }),
        await get('/access/who-can/nope'),
        await get('/access/who-can/nope/export.csv'),
        await get('/access/who-can/catalog.entity.delete?limit=0'),
        await get('/access/who-can/catalog.entity.delete?sort=name'),
        await get('/access/users/default/a%20b'),
        await post('/access/dry-run', { yaml: 3 }),
        await request(server)
          .post('/api/identity/access/dry-run')
          .set(await as(ADMIN))
          .set('Content-Type', 'application/json')
          .send('{"yaml": '),
      ]) {
        const url = (res as unknown as { req: { path: string } }).req.path;
        expect({ url, status: res.status }).toEqual({ url, status: 400 });
        expect(res.body.error.message).toEqual(expect.any(String));
      }
    });

    describe('dry-run', () => {
      const dryRun = async (yaml: string) => {
        const res = await post('/access/dry-run', { yaml });
        return res;
      };
      const change = (body: DryRunResponse, permission: string) =>
        body.permissions.find(p => p.permission === permission)!;

      it('lists who gains a permission from an added rule', async () => {
        const res = await dryRun(
          `identityPolicy:
  adminGroups: [group:default/platform-admins]
  rules:
    - permission: catalog.entity.refresh
      allowGroups: [group:default/sre, group:default/engineering]
    - action: create
      allowGroups: [group:default/developers]
    - permission: catalog.entity.delete
      allowOwners: true
`,
        );
        expect(res.status).toBe(200);
        const body = res.body as DryRunResponse;
        expect(change(body, 'catalog.entity.refresh')).toMatchObject({
          gainCount: 1,
          lossCount: 0,
          gains: [
            {
              userRef: ORDINARY,
              path: [
                ORDINARY,
                'group:default/squad-a',
                'group:default/engineering',
              ],
              decidedBy: {
                kind: 'rule',
                rule: 'identityPolicy.rules[0]',
                group: 'group:default/engineering',
              },
            },
          ],
        });
        expect(
          body.permissions.filter(
            p => p.permission !== 'catalog.entity.refresh',
          ),
        ).toEqual(
          body.permissions
            .filter(p => p.permission !== 'catalog.entity.refresh')
            .map(p => ({ ...p, gainCount: 0, lossCount: 0 })),
        );
        expect(body.notSimulated).toEqual([]);
      });

      it('lists who loses a permission with a removed admin group, the block given without its key', async () => {
        const res = await dryRun(
          `adminGroups: []
rules:
  - permission: catalog.entity.refresh
    allowGroups: [group:default/sre]
  - action: create
    allowGroups: [group:default/developers]
  - permission: catalog.entity.delete
    allowOwners: true
membership:
  cacheTtlSeconds: 1
`,
        );
        expect(res.status).toBe(200);
        const body = res.body as DryRunResponse;
        const admins = [
          'user:default/ada.admin',
          'user:default/nina.nested',
          'user:default/rita.removed',
        ];
        for (const name of [
          'catalog.entity.delete',
          'identity.read',
          'catalog.location.delete',
        ]) {
          const c = change(body, name);
          expect({ name, losses: c.losses.map(l => l.userRef) }).toEqual({
            name,
            losses: admins,
          });
          expect(c.lossCount).toBe(3);
          expect(c.gainCount).toBe(0);
        }
        expect(change(body, 'catalog.entity.delete').losses[1]).toMatchObject({
          path: [
            'user:default/nina.nested',
            'group:default/platform-admins-emea',
            'group:default/platform-admins',
          ],
          decidedBy: { kind: 'admin-group' },
        });
        expect(body.notSimulated).toEqual(['identityPolicy.membership']);
      });

      it('rejects invalid YAML and invalid config with the startup message', async () => {
        const badYaml = await dryRun('identityPolicy:\n  adminGroups: [\n');
        expect(badYaml.status).toBe(400);
        expect(badYaml.body.error.message).toMatch(/^Invalid YAML: /);

        const proposal = {
          adminGroups: ['component:default/x'],
          rules: [{ permission: 'catalog.entity.delet', allowGroups: ['x'] }],
        };
        let startup = '';
        try {
          readIdentityPolicyConfig(
            mockServices.rootConfig({ data: { identityPolicy: proposal } }),
          );
        } catch (error) {
          startup = (error as Error).message;
        }
        expect(startup).toContain('Invalid identity policy config');
        const badConfig = await dryRun(
          `identityPolicy: ${JSON.stringify(proposal)}`,
        );
        expect(badConfig.status).toBe(400);
        expect(badConfig.body.error).toMatchObject({
          name: 'InputError',
          message: startup,
        });

        const empty = await dryRun('');
        expect(empty.status).toBe(400);
        const list = await dryRun('- a\n- b\n');
        expect(list.status).toBe(400);
      });
    });
  },
);
