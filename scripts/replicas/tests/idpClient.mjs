// A SCIM client that behaves as Entra ID's and Okta's provisioning do when
// a request fails: it retries on connection errors, 5xx and 429, with
// exponential backoff (honouring Retry-After), and treats a 409 uniqueness
// answer to a retried POST as "it was created before the response was
// lost": it looks the resource up by its unique attribute and carries on
// with that id. What it was told succeeded is what the tests check the
// replicas kept.
import { scim } from './harness.mjs';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const sleep = ms => new Promise(r => setTimeout(r, ms));

/**
 * @param observe - called with every response (`{ method, path, attempt,
 *   status, retryAfter, body, text }`, attempt counting from 1), retried ones
 *   included, for tests that check what each answer looked like
 */
export function createIdpClient(
  base,
  {
    maxAttempts = 10,
    baseDelayMs = 100,
    maxDelayMs = 3_000,
    observe = () => {},
  } = {},
) {
  const stats = {
    requests: 0,
    retries: 0,
    connectionErrors: 0,
    statuses: {},
    lookupsAfter409: 0,
  };

  async function request(method, path, body) {
    let last;
    for (let attempt = 1; ; attempt++) {
      stats.requests++;
      let retryAfterMs;
      try {
        last = await scim(base, method, path, { body });
        stats.statuses[last.status] = (stats.statuses[last.status] ?? 0) + 1;
        observe({ method, path, attempt, ...last });
        if (last.status < 500 && last.status !== 429) {
          return { ...last, attempts: attempt };
        }
        const retryAfter = Number(last.retryAfter);
        retryAfterMs = retryAfter > 0 ? retryAfter * 1000 : undefined;
      } catch (error) {
        // fetch failed: the connection was refused or reset.
        stats.connectionErrors++;
        last = { status: 0, text: String(error.cause ?? error) };
      }
      if (attempt >= maxAttempts) {
        throw new Error(
          `${method} ${path} failed after ${attempt} attempts: ${last.status} ${last.text}`,
        );
      }
      stats.retries++;
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      await sleep(retryAfterMs ?? backoff * (0.5 + Math.random() / 2));
    }
  }

  async function findOne(path, attribute, value) {
    const filter = encodeURIComponent(`${attribute} eq "${value}"`);
    const res = await request('GET', `${path}?filter=${filter}`);
    if (res.status !== 200) {
      throw new Error(
        `lookup ${attribute} ${value}: ${res.status} ${res.text}`,
      );
    }
    return res.body.Resources[0];
  }

  /** POST, and on 409 the existing resource, as IdPs match it. */
  async function create(path, body, attribute, value) {
    const res = await request('POST', path, body);
    if (res.status === 201) {
      return { id: res.body.id, attempts: res.attempts };
    }
    if (res.status === 409) {
      const found = await findOne(path, attribute, value);
      if (found) {
        stats.lookupsAfter409++;
        return { id: found.id, attempts: res.attempts, foundAfter409: true };
      }
    }
    throw new Error(`POST ${path} ${value}: ${res.status} ${res.text}`);
  }

  return {
    stats,
    request,
    createUser: userName =>
      create(
        '/Users',
        { schemas: [USER_SCHEMA], userName, active: true },
        'userName',
        userName,
      ),
    createGroup: displayName =>
      create(
        '/Groups',
        { schemas: [GROUP_SCHEMA], displayName, members: [] },
        'displayName',
        displayName,
      ),
    /** Adds users to a group; an add of a member already there is a no-op. */
    async addMembers(groupId, userIds) {
      const res = await request('PATCH', `/Groups/${groupId}`, {
        schemas: [PATCH_SCHEMA],
        Operations: [
          {
            op: 'add',
            path: 'members',
            value: userIds.map(value => ({ value })),
          },
        ],
      });
      if (res.status !== 200 && res.status !== 204) {
        throw new Error(`PATCH /Groups/${groupId}: ${res.status} ${res.text}`);
      }
      return res;
    },
  };
}
