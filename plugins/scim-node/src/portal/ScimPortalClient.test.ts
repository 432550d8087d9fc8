import { mockServices } from '@backstage/backend-test-utils';
import { ScimPortalClient } from './ScimPortalClient';

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

const held = {
  idp: 'entra',
  resourceType: 'User',
  resourceId: 'scim-9',
  entityRef: 'user:default/oscar.ordinary',
  otherOrigin: 'file:/org/users.yaml',
  detectedAt: '2026-12-02T10:00:00Z',
};

describe('ScimPortalClient', () => {
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();
  const client = new ScimPortalClient({
    discovery: mockServices.discovery(),
    auth: mockServices.auth({ pluginId: 'identity' }),
    fetch: fetchMock as unknown as typeof fetch,
  });

  beforeEach(() => {
    jest.resetAllMocks();
  });

  const headersOfCall = (n = 0) =>
    fetchMock.mock.calls[n][1]?.headers as Record<string, string>;

  describe('deactivateUser', () => {
    const request = {
      idp: 'entra',
      id: 'id 1',
      requestedBy: 'user:default/ada',
    };

    it('posts to the scim plugin with a service token and who asked', async () => {
      fetchMock.mockResolvedValue(
        json(200, { id: 'id 1', idp: 'entra', active: false }),
      );
      expect(await client.deactivateUser(request)).toEqual({
        id: 'id 1',
        idp: 'entra',
        active: false,
      });

      expect(fetchMock).toHaveBeenCalledTimes(1);
      const [url, init] = fetchMock.mock.calls[0];
      expect(url).toBe(
        'http://localhost:0/api/scim/portal/users/entra/id%201/deactivate',
      );
      expect(init?.method).toBe('POST');
      expect(JSON.parse(init?.body as string)).toEqual({
        requestedBy: 'user:default/ada',
      });
      const headers = headersOfCall();
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
        /cannot deactivate user id 1 of entra: User id 1 not found/,
      ],
      [
        'no scim plugin is mounted (empty 404)',
        () => new Response(null, { status: 404 }),
        'NotImplementedError',
        /does not answer at http:\/\/localhost:0\/api\/scim\/portal.*plugin-scim-backend installed/,
      ],
      [
        'the scim plugin refuses the caller',
        () => backstageError(403, 'NotAllowedError', 'Service only'),
        'NotAllowedError',
        /refused to deactivate user id 1 of entra \(HTTP 403\): Service only/,
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
        'a concurrent change wins',
        () => backstageError(409, 'ConflictError', 'version moved'),
        'ConflictError',
        /concurrent change: version moved/,
      ],
      [
        'the scim plugin fails',
        () => new Response('<html>oops</html>', { status: 500 }),
        'ServiceUnavailableError',
        /failed to deactivate user id 1 of entra \(HTTP 500\)$/,
      ],
    ])('maps the answer when %s', async (_case, answer, name, message) => {
      fetchMock.mockResolvedValue(answer());
      const error = await client.deactivateUser(request).catch(e => e);
      expect(error.name).toBe(name);
      expect(error.message).toMatch(message);
    });

    it('maps a network failure', async () => {
      fetchMock.mockRejectedValue(new TypeError('fetch failed'));
      const error = await client.deactivateUser(request).catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toMatch(/Could not reach the scim plugin.*failed/);
    });

    it('does not take a still active user for a success', async () => {
      fetchMock.mockResolvedValue(
        json(200, { id: 'id 1', idp: 'entra', active: true }),
      );
      const error = await client.deactivateUser(request).catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toMatch(/still active/);
    });

    it('does not take an answer of another shape for a success', async () => {
      fetchMock.mockResolvedValue(json(200, { done: true }));
      const error = await client.deactivateUser(request).catch(e => e);
      expect(error.name).toBe('ServiceUnavailableError');
      expect(error.message).toMatch(/could not be read/);
    });
  });

  describe('getHistory', () => {
    it('reads the history of a record, keeping only well-formed entries', async () => {
      const deactivated = {
        idp: 'entra',
        resourceType: 'User',
        resourceId: 'scim-1',
        entityRef: 'user:default/sam',
        action: 'deactivated',
        at: '2025-02-01T00:00:00Z',
        details: { deactivatedBy: 'user:default/ada' },
      };
      const conflicted = {
        idp: held.idp,
        resourceType: held.resourceType,
        resourceId: held.resourceId,
        entityRef: held.entityRef,
        action: 'conflict',
        at: '2026-12-02T10:00:00Z',
        conflict: {
          entityRef: held.entityRef,
          otherOrigin: held.otherOrigin,
          detectedAt: held.detectedAt,
          extra: 'dropped',
        },
      };
      fetchMock.mockResolvedValue(
        json(200, {
          items: [
            deactivated,
            conflicted,
            { ...deactivated, resourceType: 'Thing' },
            { nonsense: true },
          ],
        }),
      );
      expect(await client.getHistory({ resourceId: 'scim 1' })).toEqual([
        deactivated,
        {
          ...conflicted,
          conflict: {
            entityRef: held.entityRef,
            otherOrigin: held.otherOrigin,
            detectedAt: held.detectedAt,
          },
        },
      ]);
      expect(fetchMock.mock.calls[0][0]).toBe(
        'http://localhost:0/api/scim/history?resourceId=scim%201',
      );
      expect(fetchMock.mock.calls[0][1]?.method).toBe('GET');
      expect(headersOfCall().Authorization).toMatch(/^Bearer /);
    });

    it('asks by entity ref', async () => {
      fetchMock.mockResolvedValue(json(200, { items: [] }));
      expect(
        await client.getHistory({ entityRef: 'user:default/sam' }),
      ).toEqual([]);
      expect(fetchMock.mock.calls[0][0]).toBe(
        'http://localhost:0/api/scim/history?entityRef=user%3Adefault%2Fsam',
      );
    });

    it('rejects an answer without items', async () => {
      fetchMock.mockResolvedValue(json(200, { items: 3 }));
      await expect(
        client.getHistory({ resourceId: 'scim-1' }),
      ).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('no items array'),
      });
    });
  });

  describe('listConflicts', () => {
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
    });

    it('asks for one entity ref only, when given one', async () => {
      fetchMock.mockResolvedValue(json(200, { items: [held] }));
      expect(
        await client.listConflicts({ entityRef: 'user:default/o&scar' }),
      ).toEqual([held]);
      expect(fetchMock.mock.calls[0][0]).toBe(
        'http://localhost:0/api/scim/conflicts?entityRef=user%3Adefault%2Fo%26scar',
      );
      fetchMock.mockResolvedValue(json(200, { items: [] }));
      await client.listConflicts({ memberRef: 'user:default/mallory' });
      expect(fetchMock.mock.calls[1][0]).toBe(
        'http://localhost:0/api/scim/conflicts?memberRef=user%3Adefault%2Fmallory',
      );
    });

    it('tells a missing scim plugin from a failing one', async () => {
      fetchMock.mockResolvedValue(new Response(null, { status: 404 }));
      await expect(client.listConflicts()).rejects.toMatchObject({
        name: 'NotImplementedError',
      });
      fetchMock.mockResolvedValue(
        backstageError(500, 'Error', 'database is down'),
      );
      await expect(client.listConflicts()).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('database is down'),
      });
    });
  });

  describe('listHeldMemberships', () => {
    it('reads the members of held groups, keeping only well-formed ones', async () => {
      const group = { ...held, resourceType: 'Group' };
      fetchMock.mockResolvedValue(
        json(200, {
          items: [
            { memberRef: 'user:default/mallory', conflict: group },
            { memberRef: 'user:default/eve', conflict: { idp: 'x' } },
            { conflict: group },
            'user:default/trudy',
          ],
        }),
      );
      expect(await client.listHeldMemberships()).toEqual([
        { memberRef: 'user:default/mallory', conflict: group },
      ]);
      expect(fetchMock.mock.calls[0][0]).toBe(
        'http://localhost:0/api/scim/conflicts/memberships',
      );
    });
  });

  describe('adoptConflict', () => {
    it('posts who asked and reads the adoption', async () => {
      const adoption = {
        idp: 'entra',
        resourceType: 'User',
        resourceId: 'scim-9',
        entityRef: held.entityRef,
        adoptedFrom: held.otherOrigin,
        adoptedBy: 'user:default/ada',
      };
      fetchMock.mockResolvedValue(json(200, adoption));
      expect(
        await client.adoptConflict({
          idp: 'entra',
          id: 'scim-9',
          requestedBy: 'user:default/ada',
        }),
      ).toEqual(adoption);
      const [url, init] = fetchMock.mock.calls[0];
      expect(url).toBe(
        'http://localhost:0/api/scim/conflicts/entra/scim-9/adopt',
      );
      expect(init?.method).toBe('POST');
      expect(JSON.parse(init?.body as string)).toEqual({
        requestedBy: 'user:default/ada',
      });
    });

    it('maps a missing conflict to NotFoundError', async () => {
      fetchMock.mockResolvedValue(
        backstageError(404, 'NotFoundError', 'No conflict of entra record x'),
      );
      await expect(
        client.adoptConflict({ idp: 'entra', id: 'x' }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: expect.stringContaining('No conflict of entra record x'),
      });
    });
  });
});
