import { mockServices } from '@backstage/backend-test-utils';
import { StoredUser } from '../store/IdentityStore';
import { ScimPluginClient } from './ScimPluginClient';

const request = {
  entityRef: 'user:default/sam',
  idp: 'entra',
  scimId: 'id 1',
  requestedBy: 'user:default/ada',
};

function scimUser(annotations: Record<string, string>): StoredUser {
  return {
    entityRef: 'user:default/sam',
    etag: 'e',
    namespace: 'default',
    name: 'sam',
    source: 'scim',
    orphaned: false,
    processingErrors: false,
    deactivated: false,
    scimManaged: true,
    details: { annotations, errors: [] },
    noGroups: false,
    uncountedMemberships: false,
    duplicateEmail: false,
    directGroupCount: 0,
    inheritedGroupCount: 0,
  };
}

const samAnnotations = {
  'scim.identity-governance.io/idp': 'entra',
  'scim.identity-governance.io/id': 'scim-1',
  'scim.identity-governance.io/provisioned-at': '2025-01-01T00:00:00Z',
};

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function backstageError(status: number, name: string, message: string) {
  return json(status, {
    error: { name, message },
    request: { method: 'POST', url: '/x' },
    response: { statusCode: status },
  });
}

describe('ScimPluginClient', () => {
  const logger = mockServices.logger.mock();
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();
  const client = new ScimPluginClient({
    discovery: mockServices.discovery(),
    auth: mockServices.auth({ pluginId: 'identity' }),
    logger,
    fetch: fetchMock as unknown as typeof fetch,
  });

  beforeEach(() => {
    jest.resetAllMocks();
  });

  describe('deactivate', () => {
    it('posts to the scim plugin with a service token and who asked', async () => {
      fetchMock.mockResolvedValue(
        json(200, { id: 'id 1', idp: 'entra', active: false }),
      );
      await client.deactivate(request);

      expect(fetchMock).toHaveBeenCalledTimes(1);
      const [url, init] = fetchMock.mock.calls[0];
      expect(url).toBe(
        'http://localhost:0/api/scim/portal/users/entra/id%201/deactivate',
      );
      expect(init?.method).toBe('POST');
      expect(JSON.parse(init?.body as string)).toEqual({
        requestedBy: 'user:default/ada',
      });
      const headers = init?.headers as Record<string, string>;
      expect(headers['Content-Type']).toBe('application/json');
      // mockServices.auth's service token: issued by identity, for scim.
      expect(headers.Authorization).toMatch(/^Bearer mock-service-token:/);
      expect(
        JSON.parse(headers.Authorization.replace(/^.*?:/, '')),
      ).toMatchObject({ sub: 'plugin:identity', target: 'scim' });
    });

    it.each([
      [
        'the scim plugin has no such user',
        () => backstageError(404, 'NotFoundError', 'User id 1 not found'),
        'NotFoundError',
        /no user id 1 of entra.*User id 1 not found/,
      ],
      [
        'no scim plugin is mounted (empty 404)',
        () => new Response(null, { status: 404 }),
        'NotImplementedError',
        /does not answer at http:\/\/localhost:0\/api\/scim\/portal.*identity\.scim\.enabled/,
      ],
      [
        'the scim plugin refuses the caller',
        () => backstageError(403, 'NotAllowedError', 'Service only'),
        'NotAllowedError',
        /refused to deactivate user:default\/sam.*Service only/,
      ],
      [
        'the token is not accepted',
        () => backstageError(401, 'AuthenticationError', 'Bad token'),
        'NotAllowedError',
        /HTTP 401/,
      ],
      [
        'the request is invalid',
        () => backstageError(400, 'InputError', 'requestedBy must be a string'),
        'InputError',
        /requestedBy must be a string/,
      ],
      [
        'the scim plugin fails',
        () => new Response('<html>oops</html>', { status: 500 }),
        'ServiceUnavailableError',
        /failed to deactivate user:default\/sam.*HTTP 500/,
      ],
    ])('maps the answer when %s', async (_case, answer, name, message) => {
      fetchMock.mockResolvedValue(answer());
      const error = await client.deactivate(request).catch(e => e);
      expect(error.name).toBe(name);
      expect(error.message).toMatch(message);
    });

    it('maps a network failure', async () => {
      fetchMock.mockRejectedValue(new TypeError('fetch failed'));
      const error = await client.deactivate(request).catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toMatch(/Could not reach the SCIM module.*failed/);
    });

    it('does not take a still active user for a success', async () => {
      fetchMock.mockResolvedValue(json(200, { active: true }));
      const error = await client.deactivate(request).catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
    });
  });

  describe('getProvisioning', () => {
    it('is nothing for users the SCIM module did not provision', async () => {
      expect(
        await client.getProvisioning({ ...scimUser({}), scimManaged: false }),
      ).toBeUndefined();
      expect(fetchMock).not.toHaveBeenCalled();
    });

    it('merges the recorded history of the resource into the annotations', async () => {
      fetchMock.mockResolvedValue(
        json(200, {
          items: [
            {
              idp: 'entra',
              resourceType: 'User',
              resourceId: 'scim-1',
              entityRef: 'user:default/sam',
              action: 'deactivated',
              at: '2025-02-01T00:00:00Z',
              details: { deactivatedBy: 'user:default/ada' },
            },
            {
              idp: 'entra',
              resourceType: 'User',
              resourceId: 'scim-1',
              entityRef: 'user:default/sam',
              action: 'created',
              at: '2025-01-01T00:00:00Z',
            },
            { nonsense: true },
          ],
        }),
      );
      const provisioning = await client.getProvisioning(
        scimUser(samAnnotations),
      );
      expect(fetchMock.mock.calls[0][0]).toBe(
        'http://localhost:0/api/scim/history?resourceId=scim-1',
      );
      expect(provisioning).toEqual({
        idp: 'entra',
        scimId: 'scim-1',
        provisionedAt: '2025-01-01T00:00:00Z',
        active: true,
        history: [
          {
            at: '2025-02-01T00:00:00Z',
            action: 'deactivated',
            idp: 'entra',
            details: { deactivatedBy: 'user:default/ada' },
          },
          { at: '2025-01-01T00:00:00Z', action: 'created', idp: 'entra' },
        ],
      });
    });

    it('asks by entity ref when the SCIM id is unknown', async () => {
      fetchMock.mockResolvedValue(json(200, { items: [] }));
      const provisioning = await client.getProvisioning(
        scimUser({ 'scim.identity-governance.io/idp': 'entra' }),
      );
      expect(fetchMock.mock.calls[0][0]).toBe(
        'http://localhost:0/api/scim/history?entityRef=user%3Adefault%2Fsam',
      );
      expect(provisioning?.history).toEqual([]);
    });

    it('falls back to the annotations without the scim plugin', async () => {
      fetchMock.mockResolvedValue(new Response(null, { status: 404 }));
      const provisioning = await client.getProvisioning(
        scimUser(samAnnotations),
      );
      expect(provisioning).toEqual({
        idp: 'entra',
        scimId: 'scim-1',
        provisionedAt: '2025-01-01T00:00:00Z',
        active: true,
      });
      expect(logger.debug).toHaveBeenCalled();
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it.each([
      ['an error status', () => Promise.resolve(json(500, {}))],
      ['a malformed answer', () => Promise.resolve(json(200, { items: 3 }))],
      ['a network error', () => Promise.reject(new TypeError('fetch failed'))],
    ])('falls back to the annotations on %s', async (_case, answer) => {
      fetchMock.mockImplementation(answer);
      const provisioning = await client.getProvisioning(
        scimUser(samAnnotations),
      );
      expect(provisioning).toMatchObject({ idp: 'entra', scimId: 'scim-1' });
      expect(provisioning?.history).toBeUndefined();
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(/provisioning history of user:default\/sam/),
      );
    });
  });

  describe('listConflicts', () => {
    const held = {
      idp: 'entra',
      resourceType: 'User',
      resourceId: 'scim-9',
      entityRef: 'user:default/oscar.ordinary',
      otherOrigin: 'file:/org/users.yaml',
      detectedAt: '2026-12-02T10:00:00Z',
    };

    it('reads the records held back, keeping only well-formed ones', async () => {
      fetchMock.mockResolvedValue(
        json(200, {
          items: [held, { ...held, resourceType: 'Thing' }, { idp: 'x' }, 7],
        }),
      );
      expect(await client.listConflicts()).toEqual([held]);
      expect(fetchMock.mock.calls[0][0]).toBe(
        'http://localhost:0/api/scim/conflicts',
      );
      expect(
        (fetchMock.mock.calls[0][1]?.headers as Record<string, string>)
          .Authorization,
      ).toMatch(/^Bearer /);
    });

    it('is empty without the scim plugin, and unavailable when it fails', async () => {
      fetchMock.mockResolvedValue(new Response(null, { status: 404 }));
      expect(await client.listConflicts()).toEqual([]);
      fetchMock.mockResolvedValue(
        backstageError(500, 'Error', 'database is down'),
      );
      await expect(client.listConflicts()).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('database is down'),
      });
      fetchMock.mockResolvedValue(json(200, { nope: true }));
      await expect(client.listConflicts()).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
      });
    });

    it('keeps the conflict of a history entry', async () => {
      fetchMock.mockResolvedValue(
        json(200, {
          items: [
            {
              ...held,
              action: 'conflict',
              at: '2026-12-02T10:00:00Z',
              conflict: {
                entityRef: held.entityRef,
                otherOrigin: held.otherOrigin,
                detectedAt: held.detectedAt,
              },
            },
          ],
        }),
      );
      const provisioning = await client.getProvisioning(
        scimUser(samAnnotations),
      );
      expect(provisioning?.history?.[0].conflict).toEqual({
        entityRef: held.entityRef,
        otherOrigin: held.otherOrigin,
        detectedAt: held.detectedAt,
      });
    });
  });
});
