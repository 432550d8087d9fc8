import { TestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { TEST_USER_HEADER } from './testSignInModule';

/**
 * Real Backstage user tokens from the test sign-in provider, one per user,
 * and requests under `/api/identity` made with them.
 */
export function userRequests(server: () => TestBackend['server']) {
  const tokens = new Map<string, string>();
  const as = async (ref: string) => {
    if (!tokens.has(ref)) {
      const res = await request(server())
        .get('/api/auth/test/refresh')
        .set(TEST_USER_HEADER, ref)
        .set('x-requested-with', 'XMLHttpRequest');
      if (res.status !== 200) {
        throw new Error(`No token for ${ref}: ${res.status}`);
      }
      tokens.set(ref, res.body.backstageIdentity.token);
    }
    return { Authorization: `Bearer ${tokens.get(ref)}` };
  };
  return {
    as,
    get: async (path: string, ref: string) =>
      request(server())
        .get(`/api/identity${path}`)
        .set(await as(ref)),
    post: async (path: string, body: object | string, ref: string) =>
      request(server())
        .post(`/api/identity${path}`)
        .set(await as(ref))
        .send(body),
  };
}
