import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  OKTA_TOKEN,
  patchOp,
  ScimClient,
  scimClient,
  startScimBackend,
  userBody,
} from '../__testUtils__/scimTestBackend';

/** Every event the plugin recorded, with the outcome calls made on it. */
function recorded(auditor: ReturnType<typeof mockServices.auditor.mock>) {
  return Promise.all(
    auditor.createEvent.mock.calls.map(async ([options], i) => {
      const event = await auditor.createEvent.mock.results[i].value;
      return {
        eventId: options.eventId,
        severityLevel: options.severityLevel,
        meta: options.meta,
        hasRequest: options.request !== undefined,
        success: event.success.mock.calls.map((c: any[]) => c[0]),
        fail: event.fail.mock.calls.map((c: any[]) => ({
          meta: c[0].meta,
          error: String(c[0].error),
        })),
      };
    }),
  );
}

/** The `finish` listeners run after supertest has its answer. */
const settled = () => new Promise(resolve => setImmediate(resolve));

describe('audit events', () => {
  const auditor = mockServices.auditor.mock();
  let backend: Awaited<ReturnType<typeof startScimBackend>>['backend'];
  let client: ScimClient;

  beforeAll(async () => {
    ({ backend, client } = await startScimBackend([auditor.factory]));
  });
  afterAll(async () => {
    await backend.stop();
  });
  beforeEach(() => {
    auditor.createEvent.mockClear();
  });

  it('records a SCIM create with the IdP, the resource and the outcome', async () => {
    const res = await client.post('/Users', userBody('ava@audit.example'));
    expect(res.status).toBe(201);
    await settled();
    expect(await recorded(auditor)).toEqual([
      {
        eventId: 'user-mutate',
        severityLevel: 'medium',
        meta: {
          actionType: 'create',
          resourceType: 'User',
          ip: expect.any(String),
        },
        // The IdP's token is not a Backstage credential.
        hasRequest: false,
        success: [
          { meta: { idp: 'entra', status: 201, resourceId: res.body.id } },
        ],
        fail: [],
      },
    ]);
  });

  it('records a refused write as failed, with the SCIM error', async () => {
    const user = (await client.post('/Users', userBody('bo@audit.example')))
      .body;
    auditor.createEvent.mockClear();
    const stale = await client
      .delete(`/Users/${user.id}`)
      .set('If-Match', 'W/"999"');
    expect(stale.status).toBe(412);
    const okta = await scimClient(backend.server, OKTA_TOKEN).patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'active', value: false }),
    );
    expect(okta.status).toBe(404);
    const forged = await scimClient(backend.server, 'not-a-token').put(
      `/Groups/${user.id}`,
      { displayName: 'platform-admins' },
    );
    expect(forged.status).toBe(401);
    await settled();

    const events = await recorded(auditor);
    expect(events.map(e => [e.eventId, e.meta])).toEqual([
      [
        'user-mutate',
        expect.objectContaining({ actionType: 'delete', resourceId: user.id }),
      ],
      [
        'user-mutate',
        expect.objectContaining({ actionType: 'modify', resourceId: user.id }),
      ],
      [
        'group-mutate',
        expect.objectContaining({ actionType: 'replace', resourceId: user.id }),
      ],
    ]);
    expect(events.map(e => e.success)).toEqual([[], [], []]);
    expect(events.map(e => e.fail)).toEqual([
      [
        {
          meta: { idp: 'entra', status: 412, scimType: undefined },
          error: expect.stringContaining('Error: '),
        },
      ],
      [{ meta: { idp: 'okta', status: 404 }, error: expect.any(String) }],
      [
        {
          meta: { idp: null, status: 401 },
          error: 'Error: A valid bearer token is required',
        },
      ],
    ]);
  });

  it('answers a malformed id escape with 400 invalidValue, not 500, and records it', async () => {
    const res = await client.delete('/Users/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ scimType: 'invalidValue' });
    await settled();
    const events = await recorded(auditor);
    expect(events.map(e => e.meta)).toEqual([
      expect.objectContaining({ actionType: 'delete', resourceId: '%E0%A4%A' }),
    ]);
  });

  it('records no reads', async () => {
    expect((await client.get('/Users')).status).toBe(200);
    expect((await client.get('/ServiceProviderConfig')).status).toBe(200);
    await settled();
    expect(auditor.createEvent).not.toHaveBeenCalled();
  });

  it('records an offboarding deactivation with who asked for it', async () => {
    const user = (await client.post('/Users', userBody('cy@audit.example')))
      .body;
    auditor.createEvent.mockClear();
    const res = await request(backend.server)
      .post(`/api/scim/portal/users/entra/${user.id}/deactivate`)
      .set('Authorization', mockCredentials.service.header())
      .send({ requestedBy: 'user:default/ada.admin' });
    expect(res.status).toBe(200);
    const missing = await request(backend.server)
      .post('/api/scim/portal/users/entra/no-such-id/deactivate')
      .set('Authorization', mockCredentials.service.header())
      .send({ requestedBy: 'user:default/ada.admin' });
    expect(missing.status).toBe(404);

    const events = await recorded(auditor);
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'user-mutate',
        hasRequest: true,
        meta: {
          actionType: 'deactivate',
          idp: 'entra',
          resourceId: user.id,
          requestedBy: 'user:default/ada.admin',
        },
        success: [undefined],
        fail: [],
      }),
      expect.objectContaining({
        meta: expect.objectContaining({ resourceId: 'no-such-id' }),
        success: [],
        fail: [
          { meta: undefined, error: expect.stringContaining('no-such-id') },
        ],
      }),
    ]);
  });
});
