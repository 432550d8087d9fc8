import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import {
  ENTERPRISE,
  GROUP_SCHEMA,
  ScimClient,
  USER_SCHEMA,
  patchOp,
  scimClient,
  startScimBackend,
  userBody,
} from '../__testUtils__/scimTestBackend';
import catalogModuleScim from '@identity-governance/plugin-catalog-backend-module-scim';
import {
  ANNOTATION_SCIM_ID,
  ANNOTATION_SCIM_IDP,
  ANNOTATION_SCIM_PROVISIONED_AT,
  ANNOTATION_SCIM_UPDATED_AT,
} from '@identity-governance/plugin-scim-node';

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

/** The catalog plugin's own scheduler, where the module's task runs. */
let catalogScheduler: SchedulerService | undefined;
const catalogSchedulerProbe = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'scheduler-probe',
  register(env) {
    env.registerInit({
      deps: { scheduler: coreServices.scheduler },
      async init({ scheduler }) {
        catalogScheduler = scheduler;
      },
    });
  },
});

describe('SCIM to catalog, end to end', () => {
  let backend: Awaited<ReturnType<typeof startScimBackend>>['backend'];
  let client: ScimClient;

  const catalog = (path: string) =>
    request(backend.server)
      .get(`/api/catalog${path}`)
      .set('Authorization', mockCredentials.user.header());

  beforeAll(async () => {
    ({ backend, client } = await startScimBackend(
      [catalogPlugin, catalogModuleScim, catalogSchedulerProbe],
      {
        catalog: { processingInterval: { seconds: 1 } },
        scim: {
          identityProviders: [
            { name: 'entra', token: 'entra-test-token-0123456789' },
            { name: 'okta', token: 'okta-test-token-9876543210' },
          ],
          groupType: 'department',
          reconciliation: {
            schedule: { frequency: { seconds: 2 }, timeout: { seconds: 30 } },
          },
        },
      },
    ));
  });

  afterAll(async () => {
    await backend.stop();
  });

  it("retries a failed reconciliation through the catalog scheduler's own task, which holds the cluster's lock", async () => {
    // The module triggers 'scim-reconciliation' to retry: that task must be
    // the one it scheduled, and global (one run at a time across replicas).
    const tasks = await catalogScheduler!.getScheduledTasks();
    expect(tasks.find(t => t.id === 'scim-reconciliation')).toMatchObject({
      scope: 'global',
    });
    // Running at this moment (every 2 s here) is fine; unknown is not.
    const outcome = await catalogScheduler!
      .triggerTask('scim-reconciliation')
      .then(
        () => 'triggered',
        (error: Error) => error.name,
      );
    expect(['triggered', 'ConflictError']).toContain(outcome);
  });

  it('provisions, deactivates, keeps deactivated users gone, and reactivates', async () => {
    const alice = (
      await client.post(
        '/Users',
        userBody('alice@e2e.example.com', {
          externalId: 'alice-ext',
          displayName: 'Alice Example',
          emails: [
            { value: 'alice@e2e.example.com', type: 'work', primary: true },
          ],
        }),
      )
    ).body;
    const bob = (await client.post('/Users', userBody('bob@e2e.example.com')))
      .body;
    const group = (
      await client.post('/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Platform Team',
        members: [{ value: alice.id }, { value: bob.id }],
      })
    ).body;

    const user = await eventually(async () => {
      const res = await catalog('/entities/by-name/user/default/alice');
      expect(res.status).toBe(200);
      expect(res.body.relations).toEqual(
        expect.arrayContaining([
          { type: 'memberOf', targetRef: 'group:default/platform_team' },
        ]),
      );
      return res.body;
    });
    expect(user.spec.profile).toEqual({
      displayName: 'Alice Example',
      email: 'alice@e2e.example.com',
    });
    expect(user.metadata.annotations).toMatchObject({
      [ANNOTATION_SCIM_IDP]: 'entra',
      [ANNOTATION_SCIM_ID]: alice.id,
      'scim.identity-governance.io/external-id': 'alice-ext',
      [ANNOTATION_SCIM_PROVISIONED_AT]: alice.meta.created,
      [ANNOTATION_SCIM_UPDATED_AT]: expect.any(String),
      'backstage.io/managed-by-location': 'scim:entra',
    });

    const groupEntity = await eventually(async () => {
      const res = await catalog(
        '/entities/by-name/group/default/platform_team',
      );
      expect(res.status).toBe(200);
      expect(
        res.body.relations
          .filter((r: any) => r.type === 'hasMember')
          .map((r: any) => r.targetRef)
          .sort(),
      ).toEqual(['user:default/alice', 'user:default/bob']);
      return res.body;
    });
    expect(groupEntity.spec.type).toBe('department');
    expect(groupEntity.metadata.annotations[ANNOTATION_SCIM_ID]).toBe(group.id);

    // Deactivate bob the way Entra ID does.
    const deactivated = await client.patch(
      `/Users/${bob.id}`,
      patchOp({ op: 'Replace', path: 'active', value: 'False' }),
    );
    expect(deactivated.status).toBe(200);
    await eventually(async () => {
      expect((await catalog('/entities/by-name/user/default/bob')).status).toBe(
        404,
      );
    });

    // A refresh of the group and a few reconciliation cycles later (every 2s),
    // bob is still gone.
    const refresh = await request(backend.server)
      .post('/api/catalog/refresh')
      .set('Authorization', mockCredentials.user.header())
      .send({ entityRef: 'group:default/platform_team' });
    expect(refresh.status).toBe(200);
    await new Promise(r => setTimeout(r, 5000));
    expect((await catalog('/entities/by-name/user/default/bob')).status).toBe(
      404,
    );
    const members = await catalog(
      '/entities/by-name/group/default/platform_team',
    );
    expect(
      members.body.relations
        .filter((r: any) => r.type === 'hasMember')
        .map((r: any) => r.targetRef),
    ).toEqual(['user:default/alice']);

    // Reactivation brings bob back.
    await client.patch(
      `/Users/${bob.id}`,
      patchOp({ op: 'replace', value: { active: true } }),
    );
    await eventually(async () => {
      expect((await catalog('/entities/by-name/user/default/bob')).status).toBe(
        200,
      );
    });

    // DELETE removes the user for good; the history remembers.
    expect((await client.delete(`/Users/${alice.id}`)).status).toBe(204);
    await eventually(async () => {
      expect(
        (await catalog('/entities/by-name/user/default/alice')).status,
      ).toBe(404);
    });
    await new Promise(r => setTimeout(r, 3000));
    expect((await catalog('/entities/by-name/user/default/alice')).status).toBe(
      404,
    );

    const history = await request(backend.server)
      .get('/api/scim/history?entityRef=user:default/bob')
      .set('Authorization', mockCredentials.user.header());
    expect(history.status).toBe(200);
    expect(history.body.items.map((h: any) => h.action)).toEqual([
      'reactivated',
      'deactivated',
      'created',
    ]);
  });

  it("names a report's manager of the same IdP, following its renames and deactivation", async () => {
    const manager = `scim.identity-governance.io/manager`;
    const boss = (await client.post('/Users', userBody('boss@e2e.example.com')))
      .body;
    const okta = scimClient(backend.server, 'okta-test-token-9876543210');
    const outsider = (
      await okta.post('/Users', userBody('outsider@e2e.example.com'))
    ).body;
    await client.post(
      '/Users',
      userBody('report@e2e.example.com', {
        schemas: [USER_SCHEMA, ENTERPRISE],
        [ENTERPRISE]: { manager: { value: boss.id } },
      }),
    );
    // entra names okta's user as a manager: no annotation.
    await client.post(
      '/Users',
      userBody('crossed@e2e.example.com', {
        schemas: [USER_SCHEMA, ENTERPRISE],
        [ENTERPRISE]: { manager: { value: outsider.id } },
      }),
    );
    const annotationOf = async (name: string) => {
      const res = await catalog(`/entities/by-name/user/default/${name}`);
      expect(res.status).toBe(200);
      return res.body.metadata.annotations[manager];
    };
    await eventually(async () => {
      expect(await annotationOf('report')).toBe('user:default/boss');
      expect(await annotationOf('crossed')).toBeUndefined();
    });

    await client.patch(
      `/Users/${boss.id}`,
      patchOp({
        op: 'replace',
        path: 'userName',
        value: 'chief@e2e.example.com',
      }),
    );
    await eventually(async () => {
      expect(await annotationOf('report')).toBe('user:default/chief');
    });

    await client.patch(
      `/Users/${boss.id}`,
      patchOp({ op: 'replace', path: 'active', value: false }),
    );
    await eventually(async () => {
      expect(await annotationOf('report')).toBeUndefined();
    });
  });

  it('renames and deletes groups in the catalog', async () => {
    const group = (
      await client.post('/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Old Name',
      })
    ).body;
    await eventually(async () => {
      expect(
        (await catalog('/entities/by-name/group/default/old_name')).status,
      ).toBe(200);
    });
    await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'Replace', path: 'displayName', value: 'New Name' }),
    );
    await eventually(async () => {
      expect(
        (await catalog('/entities/by-name/group/default/new_name')).status,
      ).toBe(200);
      expect(
        (await catalog('/entities/by-name/group/default/old_name')).status,
      ).toBe(404);
    });
    await client.delete(`/Groups/${group.id}`);
    await eventually(async () => {
      expect(
        (await catalog('/entities/by-name/group/default/new_name')).status,
      ).toBe(404);
    });
  });
});
