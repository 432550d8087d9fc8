import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { scimPlugin } from '../scimPlugin';

export const ENTRA_TOKEN = 'entra-test-token-0123456789';
export const OKTA_TOKEN = 'okta-test-token-9876543210';

export const scimConfig = {
  scim: {
    identityProviders: [
      { name: 'entra', token: ENTRA_TOKEN },
      { name: 'okta', token: OKTA_TOKEN },
    ],
  },
};

/** A test backend with only the scim plugin, and a SCIM client for it. */
export async function startScimBackend(
  extraFeatures: any[] = [],
  config: JsonObject = {},
) {
  const backend = await startTestBackend({
    features: [
      scimPlugin,
      mockServices.rootConfig.factory({ data: { ...scimConfig, ...config } }),
      ...extraFeatures,
    ],
  });
  return { backend, client: scimClient(backend.server) };
}

export type ScimClient = ReturnType<typeof scimClient>;

export function scimClient(server: any, token = ENTRA_TOKEN) {
  const auth = (r: request.Test) =>
    r
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/scim+json');
  const base = '/api/scim/v2';
  return {
    get: (path: string) => auth(request(server).get(`${base}${path}`)),
    post: (path: string, body: JsonObject) =>
      auth(request(server).post(`${base}${path}`)).send(body),
    put: (path: string, body: JsonObject) =>
      auth(request(server).put(`${base}${path}`)).send(body),
    patch: (path: string, body: JsonObject) =>
      auth(request(server).patch(`${base}${path}`)).send(body),
    delete: (path: string) => auth(request(server).delete(`${base}${path}`)),
  };
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE =
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export function patchOp(...operations: JsonObject[]): JsonObject {
  return { schemas: [PATCH_OP], Operations: operations };
}

/** Creates a user through the SCIM API and answers its resource. */
export async function createUser(
  client: ScimClient,
  userName: string,
  extra: JsonObject = {},
) {
  const res = await client.post('/Users', userBody(userName, extra));
  expect(res.status).toBe(201);
  return res.body;
}

export function userBody(userName: string, extra: JsonObject = {}): JsonObject {
  return {
    schemas: [USER_SCHEMA],
    userName,
    active: true,
    ...extra,
  };
}
