import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { identityReadPermission } from '@identity-governance/plugin-identity-common';
import request from 'supertest';
import {
  ScimClient,
  startScimBackend,
  userBody,
} from '../__testUtils__/scimTestBackend';

const AUDITOR = 'user:default/auditor';

describe('portal routes: who may read provisioning records', () => {
  let backend: Awaited<ReturnType<typeof startScimBackend>>['backend'];
  let client: ScimClient;
  // A policy that allows identity.read to the auditor only.
  const permissions = mockServices.permissions.mock({
    authorize: async (requests, options) =>
      requests.map(() => ({
        result:
          options?.credentials.principal &&
          (options.credentials.principal as any).userEntityRef === AUDITOR
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
  });

  beforeAll(async () => {
    ({ backend, client } = await startScimBackend([permissions.factory]));
    const created = await client.post(
      '/Users',
      userBody('harriet@history.example'),
    );
    if (created.status !== 201) {
      throw new Error(`Could not create the user: ${created.text}`);
    }
  });

  afterAll(async () => {
    await backend.stop();
  });

  const history = () =>
    request(backend.server).get(
      '/api/scim/history?entityRef=user:default/harriet',
    );

  it.each([
    ['the guest', mockCredentials.user('user:development/guest')],
    ['an ordinary user', mockCredentials.user('user:default/ordinary')],
  ])(
    'refuses %s with 403 in the portal error format',
    async (_who, credentials) => {
      const res = await history().set(
        'Authorization',
        mockCredentials.user.header(credentials.principal.userEntityRef),
      );
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({
        error: {
          name: 'NotAllowedError',
          message:
            'Reading provisioning records requires the identity.read permission',
        },
        response: { statusCode: 403 },
      });
      expect(JSON.stringify(res.body)).not.toContain('harriet@');
    },
  );

  it('refuses an unauthenticated request with 401', async () => {
    const res = await history().set(
      'Authorization',
      mockCredentials.none.header(),
    );
    expect(res.status).toBe(401);
  });

  it('answers a user allowed identity.read', async () => {
    permissions.authorize.mockClear();
    const res = await history().set(
      'Authorization',
      mockCredentials.user.header(AUDITOR),
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        action: 'created',
        idp: 'entra',
        entityRef: 'user:default/harriet',
      }),
    ]);
    expect(permissions.authorize).toHaveBeenCalledWith(
      [{ permission: identityReadPermission }],
      expect.objectContaining({
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ userEntityRef: AUDITOR }),
        }),
      }),
    );
  });

  it('answers a backend plugin calling with its service token', async () => {
    permissions.authorize.mockClear();
    const res = await history().set(
      'Authorization',
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:identity'),
        targetPluginId: 'scim',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    // Service principals are not asked about: they never reach the policy.
    expect(permissions.authorize).not.toHaveBeenCalled();
  });
});
