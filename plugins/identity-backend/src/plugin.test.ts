import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
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

function orgYaml(stage: 1 | 2): string {
  const user = (
    name: string,
    email: string | number,
    groups: string[],
    extra = '',
  ) => `---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: ${name}
${extra}spec:
  profile:
    displayName: ${name.charAt(0).toUpperCase()}${name.slice(1)} Person
    email: ${email}
  memberOf: [${groups.join(', ')}]
`;
  const group = (name: string, parent?: string) => `---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: ${name}
spec:
  type: team
${parent ? `  parent: ${parent}\n` : ''}  children: []
`;
  return [
    group('platform-admins'),
    group('department', 'platform-admins'),
    group('team', 'department'),
    group('squad'),
    user('ada', 'ada@example.com', ['platform-admins']),
    user('nina', 'nina@example.com', ['team']),
    user('sam', 'sam@example.com', ['team', 'squad']),
    user('dup-one', 'dup@example.com', ['squad']),
    user('dup-two', 'DUP@example.com', ['squad']),
    user('lonely', 'lonely@example.com', []),
    user('temp', 'temp@example.com', ['squad']),
    user(
      'scimmy',
      'scimmy@example.com',
      ['squad'],
      `  annotations:
    scim.identity-governance.io/idp: entra
    scim.identity-governance.io/id: abc-123
    scim.identity-governance.io/provisioned-at: '2025-01-01T00:00:00Z'
`,
    ),
    // Stage 2: ghost is no longer emitted (orphan), broken no longer valid.
    stage === 1 ? user('ghost', 'ghost@example.com', ['squad']) : '',
    user('broken', stage === 1 ? 'broken@example.com' : '[1, 2]', ['squad']),
  ].join('');
}

describe('identity backend with the real catalog and permission backends', () => {
  const mockDir = createMockDirectory();
  let backend: TestBackend;
  let server: TestBackend['server'];

  const as = (ref: string) => ({
    Authorization: mockCredentials.user.header(ref),
  });
  const get = (path: string, ref = ADMIN) =>
    request(server).get(`/api/identity${path}`).set(as(ref));

  // Every plugin's audit events; the identity plugin's are picked by id.
  const auditor = mockServices.auditor.mock();
  const auditEvents = async (eventId: string) =>
    Promise.all(
      auditor.createEvent.mock.calls
        .map((call, i) => ({ options: call[0], i }))
        .filter(({ options }) => options.eventId === eventId)
        .map(async ({ options, i }) => {
          const event = await auditor.createEvent.mock.results[i].value;
          return {
            meta: options.meta,
            actor: options.request
              ? options.request.headers.authorization
              : undefined,
            success: event.success.mock.calls.map((c: any[]) => c[0]),
            fail: event.fail.mock.calls.map((c: any[]) =>
              String(c[0].error?.name),
            ),
          };
        }),
    );

  beforeAll(async () => {
    mockDir.setContent({ 'org.yaml': orgYaml(1) });
    backend = await startTestBackend({
      features: [
        auditor.factory,
        catalogPlugin,
        permissionPlugin,
        testPolicyModule,
        identityPlugin,
        // The real scheduler: the catalog and the index must keep running.
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              processingInterval: { seconds: 1 },
              orphanStrategy: 'keep',
              rules: [{ allow: ['User', 'Group', 'Location'] }],
              locations: [
                { type: 'file', target: mockDir.resolve('org.yaml') },
              ],
            },
            identity: { refresh: { interval: { seconds: 1 } } },
          },
        }),
      ],
    });
    server = backend.server;

    // First stage indexed: every user, with ada's group known. The setup
    // waits with assertions so a catalog that never settles fails loudly.
    /* eslint-disable jest/no-standalone-expect */
    await eventually(async () => {
      const res = await get('/summary');
      expect(res.body.totalUsers).toBe(10);
      expect(res.body.totalGroups).toBe(4);
      const nina = await get('/users/default/nina');
      expect(nina.body.inheritedGroupCount).toBe(2);
    });
    // Second stage: an orphan and a processing error.
    mockDir.setContent({ 'org.yaml': orgYaml(2) });
    await eventually(async () => {
      const res = await get('/summary');
      expect(res.body.byStatus.orphaned).toBe(1);
      expect(res.body.byStatus.processingErrors).toBe(1);
    });
    /* eslint-enable jest/no-standalone-expect */
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('lists users with search, group filter, paging and sort', async () => {
    const search = await get('/users?q=PERSON&sort=name&order=desc&limit=3');
    expect(search.status).toBe(200);
    expect(search.body.totalItems).toBe(10);
    expect(search.body.items.map((u: any) => u.name)).toEqual([
      'temp',
      'scimmy',
      'sam',
    ]);
    expect(search.body).toMatchObject({ offset: 0, limit: 3 });

    const admins = await get(
      '/users?group=group:default/platform-admins&sort=email',
    );
    expect(admins.body.items.map((u: any) => u.name)).toEqual([
      'ada',
      'nina',
      'sam',
    ]);
    expect(admins.body.items[2]).toMatchObject({
      entityRef: 'user:default/sam',
      displayName: 'Sam Person',
      email: 'sam@example.com',
      directGroups: ['group:default/squad', 'group:default/team'],
      inheritedGroupCount: 2,
      source: 'file',
      flags: [],
    });

    const page2 = await get('/users?offset=9&limit=5');
    expect(page2.body.items.map((u: any) => u.name)).toEqual(['temp']);
  });

  it('filters by status and source', async () => {
    const names = async (query: string) =>
      (await get(`/users?${query}`)).body.items.map((u: any) => u.name);
    expect(await names('status=orphaned')).toEqual(['ghost']);
    expect(await names('status=processingErrors')).toEqual(['broken']);
    expect(await names('status=noGroups')).toEqual(['lonely']);
    expect(await names('status=duplicateEmail')).toEqual([
      'dup-one',
      'dup-two',
    ]);
    expect(await names('status=orphaned&status=noGroups')).toEqual([
      'ghost',
      'lonely',
    ]);
    expect(await names('source=scim')).toEqual(['scimmy']);
  });

  it('shows a user with inherited paths and provenance', async () => {
    const res = await get('/users/default/nina');
    expect(res.status).toBe(200);
    expect(res.body.memberships).toEqual([
      {
        groupRef: 'group:default/team',
        direct: true,
        path: ['user:default/nina', 'group:default/team'],
      },
      {
        groupRef: 'group:default/department',
        direct: false,
        path: [
          'user:default/nina',
          'group:default/team',
          'group:default/department',
        ],
      },
      {
        groupRef: 'group:default/platform-admins',
        direct: false,
        path: [
          'user:default/nina',
          'group:default/team',
          'group:default/department',
          'group:default/platform-admins',
        ],
      },
    ]);
    const location = `file:${mockDir.resolve('org.yaml')}`;
    expect(res.body.provenance.managedByLocation).toBe(location);
    expect(res.body.provenance.ancestry.map((a: any) => a.entityRef)).toEqual(
      expect.arrayContaining(['user:default/nina']),
    );
    expect(res.body.provenance.ancestry.length).toBeGreaterThan(1);

    const broken = await get('/users/default/broken');
    expect(broken.body.flags).toEqual(['processingErrors']);
    expect(broken.body.provenance.processingErrors[0].message).toMatch(/email/);

    const scimmy = await get('/users/default/scimmy');
    expect(scimmy.body.provenance.provisioning).toMatchObject({
      idp: 'entra',
      scimId: 'abc-123',
      provisionedAt: '2025-01-01T00:00:00Z',
    });
    // No scim plugin in this backend: the annotations alone, no failure.
    expect(scimmy.body.provenance.provisioning.history).toBeUndefined();

    expect((await get('/users/default/nobody')).status).toBe(404);
  });

  it('serves the group tree and group members', async () => {
    const tree = await get('/groups');
    expect(tree.body.totalGroups).toBe(4);
    const admins = tree.body.roots.find(
      (g: any) => g.entityRef === 'group:default/platform-admins',
    );
    expect(admins).toMatchObject({ directMemberCount: 1, totalMemberCount: 3 });
    expect(admins.children[0].entityRef).toBe('group:default/department');
    expect(admins.children[0].children[0]).toMatchObject({
      entityRef: 'group:default/team',
      directMemberCount: 2,
      totalMemberCount: 2,
    });

    const members = await get('/groups/default/platform-admins?limit=2');
    expect(members.body.members.totalItems).toBe(3);
    expect(
      members.body.members.items.map((m: any) => [m.name, m.direct]),
    ).toEqual([
      ['ada', true],
      ['nina', false],
    ]);
  });

  it('summarises', async () => {
    const res = await get('/summary');
    expect(res.body).toMatchObject({
      totalUsers: 10,
      totalGroups: 4,
      bySource: { file: 9, scim: 1, msgraph: 0 },
      byStatus: {
        orphaned: 1,
        processingErrors: 1,
        noGroups: 1,
        duplicateEmail: 2,
        deactivated: 0,
      },
    });
  });

  it('exports CSV, one row per user and membership', async () => {
    const res = await get('/export.csv?group=group:default/platform-admins');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'user_ref,name,display_name,email,source,flags,managed_by_location,origin_location,group_ref,membership,path',
    );
    // ada: 1 group; nina: 3; sam: 4 (squad, team, department, platform-admins)
    expect(lines).toHaveLength(1 + 1 + 3 + 4);
    expect(lines).toContainEqual(
      expect.stringContaining(
        'user:default/nina,nina,Nina Person,nina@example.com,file,,',
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /group:default\/platform-admins,inherited,user:default\/nina > group:default\/team > group:default\/department > group:default\/platform-admins$/,
      ),
    );
    const lonely = await get('/export.csv?status=noGroups');
    expect(lonely.text.trim().split('\r\n')[1]).toMatch(
      /^user:default\/lonely,lonely,.*,no(Groups),?/,
    );
  });

  it('answers 403 without identity.read', async () => {
    for (const path of [
      '/users',
      '/users/default/nina',
      '/groups',
      '/summary',
      '/export.csv',
      '/users/default/temp/offboard',
    ]) {
      const res = await get(path, NOBODY);
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.stack).toBeUndefined();
    }
  });

  it('answers 503 to the access endpoints when the identity policy module is not installed', async () => {
    const res = await get('/access/permissions');
    expect(res.status).toBe(503);
    expect(res.body.error.name).toBe('ServiceUnavailableError');
    expect(res.body.error.message).toContain(
      'identity permission policy module',
    );
    expect(res.body.error.message).toContain('is not installed');
  });

  it('answers 400 to bad input', async () => {
    for (const path of [
      '/users?limit=501',
      '/users?limit=0',
      '/users?offset=-1',
      '/users?sort=password',
      '/users?status=sleepy',
      '/users?source=fax',
      '/users?unknown=1',
      '/groups/default/platform-admins?limit=abc',
    ]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.error.name).toBe('InputError');
    }
  });

  it('previews and performs offboarding', async () => {
    const preview = await get('/users/default/temp/offboard');
    expect(preview.body).toMatchObject({
      entityRef: 'user:default/temp',
      action: 'delete',
      willReturn: true,
      supported: true,
      managedByLocation: `file:${mockDir.resolve('org.yaml')}`,
    });
    expect(preview.body.message).toContain(mockDir.resolve('org.yaml'));

    const orphan = await get('/users/default/ghost/offboard');
    expect(orphan.body).toMatchObject({ action: 'delete', willReturn: false });

    // SCIM offboarding is on by default, but this backend has no scim
    // plugin: the deactivation cannot be done and nothing is deleted.
    const scim = await get('/users/default/scimmy/offboard');
    expect(scim.body).toMatchObject({
      action: 'scimDeactivate',
      willReturn: false,
      supported: true,
    });
    const scimPost = await request(server)
      .post('/api/identity/users/default/scimmy/offboard')
      .set(as(ADMIN));
    expect(scimPost.status).toBe(501);
    expect(scimPost.body.error.name).toBe('NotImplementedError');
    expect(scimPost.body.error.message).toMatch(
      /the scim plugin does not answer/,
    );
    expect((await get('/users/default/scimmy')).status).toBe(200);

    const denied = await request(server)
      .post('/api/identity/users/default/temp/offboard')
      .set(as(READER));
    expect(denied.status).toBe(403);

    const done = await request(server)
      .post('/api/identity/users/default/ghost/offboard')
      .set(as(ADMIN));
    expect([done.status, done.body.error?.message]).toEqual([200, undefined]);
    expect(done.body).toMatchObject({
      entityRef: 'user:default/ghost',
      action: 'delete',
      willReturn: false,
    });
    expect((await get('/users/default/ghost')).status).toBe(404);
    // Each attempt is an audit event with its actor and outcome.
    expect(await auditEvents('user-offboard')).toEqual([
      {
        meta: { entityRef: 'user:default/scimmy' },
        actor: as(ADMIN).Authorization,
        success: [],
        fail: ['NotImplementedError'],
      },
      {
        meta: { entityRef: 'user:default/temp' },
        actor: as(READER).Authorization,
        success: [],
        fail: ['NotAllowedError'],
      },
      {
        meta: { entityRef: 'user:default/ghost' },
        actor: as(ADMIN).Authorization,
        success: [{ meta: { action: 'delete', willReturn: false } }],
        fail: [],
      },
    ]);
    const catalogRes = await request(server)
      .get('/api/catalog/entities/by-name/user/default/ghost')
      // As a service: mock user tokens lose the on-behalf-of actor on the
      // catalog's hop to the permission backend, which then refuses.
      .set({ Authorization: mockCredentials.service.header() });
    expect(catalogRes.status).toBe(404);
  });

  it('asks the catalog to refresh a user', async () => {
    const res = await request(server)
      .post('/api/identity/users/default/nina/refresh')
      .set(as(READER));
    expect(res.status).toBe(202);
    expect(await auditEvents('user-refresh')).toEqual([
      {
        meta: { entityRef: 'user:default/nina' },
        actor: as(READER).Authorization,
        success: [undefined],
        fail: [],
      },
    ]);
  });

  it('records each index refresh, with what changed', async () => {
    const refreshes = await auditEvents('index-refresh');
    expect(refreshes.every(r => r.actor === undefined)).toBe(true);
    // Together they indexed the organisation's ten users (and the changes
    // of the second stage), each refresh with its counts.
    const outcomes = refreshes.flatMap(r => r.success.map((c: any) => c.meta));
    expect(outcomes.length).toBeGreaterThan(0);
    const counts = {
      usersChanged: expect.any(Number),
      usersRemoved: expect.any(Number),
      groupsChanged: expect.any(Number),
      groupsRemoved: expect.any(Number),
      closuresRebuilt: expect.any(Number),
      // The SCIM plugin is installed here, so each run also reports how
      // many memberships its held conflicts copied into the index.
      heldMemberships: expect.any(Number),
      // After each refresh the review revocations are compared with it.
      revocations: {
        checked: expect.any(Number),
        effective: expect.any(Number),
      },
    };
    const notDue = { refreshed: false, heldMemberships: expect.any(Number) };
    expect(outcomes).toEqual(
      outcomes.map(m => (m.refreshed === false ? notDue : counts)),
    );
    const changed = outcomes.reduce((n, m) => n + (m.usersChanged ?? 0), 0);
    expect(changed).toBeGreaterThanOrEqual(10);
    expect(refreshes.flatMap(r => r.fail)).toEqual([]);
  });
});
