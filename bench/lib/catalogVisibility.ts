/*
 * When the catalog API shows an organisation (bench/lib/scimOrg.ts), and
 * when it stops showing a user: the measurements the SCIM benchmarks
 * (bench/scim, bench/capacity) take through the catalog API, whatever the
 * backend behind it (in process, or replicas behind a proxy).
 */
import { Entity } from '@backstage/catalog-model';
import { groupRef, Org, spread, userRef } from './scimOrg';

/** Users and groups whose catalog relations are checked in full. */
export const SAMPLE_USERS = 100;
export const SAMPLE_GROUPS = 20;
/** One catalog API request at most this long, then it counts as failed. */
const REQUEST_TIMEOUT_MS = 60_000;

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

let lastProgress = 0;
/** A status line: rewritten in a terminal, else every 10 s on stderr. */
export function progress(text: string) {
  if (process.stderr.isTTY) {
    process.stderr.write(`\r\x1b[K${text}`);
  } else if (text && Date.now() - lastProgress > 10_000) {
    lastProgress = Date.now();
    process.stderr.write(`${text}\n`);
  }
}

let networkRetries = 0;
/** Catalog API calls retried after a network error so far. */
export const catalogNetworkRetries = () => networkRetries;

/**
 * fetch with a timeout, retried on a network error (a keep-alive
 * connection that the server closed as it was reused shows up as
 * ECONNRESET); counted.
 */
export async function fetchRetry(url: string, init: RequestInit = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, {
        ...init,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      if (attempt >= 3) throw error;
      networkRetries++;
      await sleep(50);
    }
  }
}

/** The catalog API of one backend (or of a load balancer in front of several). */
export interface CatalogApi {
  baseUrl: string;
  /** The Authorization header's value. */
  authorization: string;
}

export async function catalogGet(api: CatalogApi, path: string) {
  const res = await fetchRetry(`${api.baseUrl}/api/catalog${path}`, {
    headers: { authorization: api.authorization },
  });
  if (!res.ok) {
    throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  }
  return res.json();
}

export async function countEntities(api: CatalogApi, filter: string) {
  const page = await catalogGet(
    api,
    `/entities/by-query?filter=${encodeURIComponent(
      filter,
    )}&limit=1&fields=metadata.name`,
  );
  return page.totalItems as number;
}

/** Whether sampled users and groups carry exactly the expected relations. */
export async function sampleMatches(api: CatalogApi, org: Org) {
  const users = spread(org.users.length, SAMPLE_USERS).map(i => org.users[i]);
  const groups = spread(org.groups.length, SAMPLE_GROUPS).map(
    i => org.groups[i],
  );
  const res = await fetchRetry(`${api.baseUrl}/api/catalog/entities/by-refs`, {
    method: 'POST',
    headers: {
      authorization: api.authorization,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      entityRefs: [...users.map(userRef), ...groups.map(groupRef)],
      fields: ['kind', 'metadata.name', 'relations'],
    }),
  });
  if (!res.ok) {
    throw new Error(
      `POST /entities/by-refs: ${res.status} ${await res.text()}`,
    );
  }
  const { items } = (await res.json()) as { items: (Entity | null)[] };
  const targets = (e: Entity | null, type: string) =>
    (e?.relations ?? [])
      .filter(r => r.type === type)
      .map(r => r.targetRef)
      .sort()
      .join(' ');
  const same = (e: Entity | null, type: string, refs: string[]) =>
    targets(e, type) === [...refs].sort().join(' ');
  return (
    users.every((u, i) =>
      same(
        items[i],
        'memberOf',
        u.groups.map(g => groupRef(org.groups[g])),
      ),
    ) &&
    groups.every((g, j) => {
      const e = items[users.length + j];
      return (
        same(
          e,
          'hasMember',
          g.members.map(m => userRef(org.users[m])),
        ) &&
        same(
          e,
          'parentOf',
          g.children.map(c => groupRef(org.groups[c])),
        )
      );
    })
  );
}

export interface Milestones {
  /** ms from t0 */
  usersVisible?: number;
  groupsVisible?: number;
  allVisible?: number;
  polls: number;
  /** Polls that failed (an error status, no answer) and were made again. */
  failedPolls: number;
  /** The first failed poll's error. */
  firstFailure?: string;
}

export const VISIBILITY_RULE = `"all visible" = user and group counts, every user with a memberOf relation, every group with members with hasMember, and ${SAMPLE_USERS} users + ${SAMPLE_GROUPS} groups whose relations match exactly`;

/**
 * Polls the catalog API from t0 until every user and group is visible with
 * its memberships: counts first (cheap), then the relation filters, then a
 * sample compared relation by relation. `ready()` says whether the writes
 * are all done (before that, the sample cannot match yet). Throws after
 * `timeoutMs` from t0.
 */
export async function waitVisible(options: {
  api: CatalogApi;
  org: Org;
  t0: number;
  pollMs: number;
  timeoutMs: number;
  ready: () => boolean;
  label: string;
}): Promise<Milestones> {
  const { api, org, t0, pollMs, ready, label } = options;
  const m: Milestones = { polls: 0, failedPolls: 0 };
  const groupsWithMembers = org.groups.filter(g => g.members.length).length;
  const deadline = t0 + options.timeoutMs;
  for (;;) {
    const pollStarted = Date.now();
    m.polls++;
    let users = 0;
    let groups = 0;
    let linked = 0;
    let allThere = false;
    try {
      users = await countEntities(api, 'kind=user');
      groups = await countEntities(api, 'kind=group');
      if (ready() && users >= org.users.length && groups >= org.groups.length) {
        linked = await countEntities(api, 'kind=user,relations.memberof');
        allThere =
          linked >= org.users.length &&
          (await countEntities(api, 'kind=group,relations.hasmember')) >=
            groupsWithMembers &&
          (await sampleMatches(api, org));
      }
    } catch (error) {
      // A catalog that cannot reach its database (a PostgreSQL restart)
      // answers 500 for a moment; poll again, until the deadline.
      m.failedPolls++;
      m.firstFailure ??= String(error).slice(0, 300);
    }
    const now = Date.now() - t0;
    if (m.usersVisible === undefined && users >= org.users.length) {
      m.usersVisible = now;
    }
    if (m.groupsVisible === undefined && groups >= org.groups.length) {
      m.groupsVisible = now;
    }
    if (allThere) {
      m.allVisible = now;
      progress('');
      return m;
    }
    progress(
      `${label}: ${Math.round(now / 1000)} s, ${users}/${
        org.users.length
      } users, ${groups}/${
        org.groups.length
      } groups, ${linked} users with memberships`,
    );
    if (Date.now() > deadline) {
      progress('');
      throw new Error(
        `${label}: not all visible after ${Math.round(
          now / 1000,
        )} s (${users}/${org.users.length} users, ${groups}/${
          org.groups.length
        } groups, ${linked} users with memberships)`,
      );
    }
    await sleep(Math.max(0, pollMs - (Date.now() - pollStarted)));
  }
}

/**
 * Polls GET /api/catalog/entities/by-name/user/default/<name> every
 * `pollMs` until it answers 404; resolves then, throws after `timeoutMs`
 * from `startedAt` (performance.now()).
 */
export async function waitUserGone(options: {
  api: CatalogApi;
  name: string;
  startedAt: number;
  pollMs: number;
  timeoutMs: number;
}) {
  const { api, name, startedAt } = options;
  for (;;) {
    const res = await fetchRetry(
      `${api.baseUrl}/api/catalog/entities/by-name/user/default/${name}`,
      { headers: { authorization: api.authorization } },
    );
    await res.arrayBuffer();
    if (res.status === 404) return;
    if (performance.now() - startedAt > options.timeoutMs) {
      throw new Error(
        `user ${name} still in the catalog after ${options.timeoutMs} ms`,
      );
    }
    await sleep(options.pollMs);
  }
}
