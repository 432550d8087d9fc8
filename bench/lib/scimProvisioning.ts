/*
 * SCIM provisioning and deprovisioning of a benchmark organisation
 * (bench/lib/scimOrg.ts) over HTTP, shared by bench/scim and bench/capacity:
 * the requests go out from a worker thread (scimClient.worker.mjs),
 * `concurrency` at a time, each once unless a RetryPolicy is given.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { summarize } from '../identity/stats';
import { CatalogApi, progress, waitUserGone } from './catalogVisibility';
import { GROUP_SCHEMA, Org, USER_SCHEMA } from './scimOrg';

/** One SCIM request at most this long, then it counts as failed. */
const REQUEST_TIMEOUT_MS = 60_000;

/** The SCIM API of one IdP: `<backend>/api/scim/v2` and its bearer token. */
export interface ScimApi {
  baseUrl: string;
  token: string;
}

export interface ScimRequest {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: object;
}
export interface ScimResult {
  status: number;
  id?: string;
  error?: string;
  /** Latency, retries included. */
  ms: number;
  /** The statuses answered before each retry (0: no answer). */
  retried: number[];
  /** A retried POST answered 409, its resource found by filter. */
  recovered: boolean;
}

/**
 * Retries as an IdP makes them (Entra ID and Okta retry on 5xx): a request
 * answered with one of `statuses`, or not answered, is sent again.
 */
export interface RetryPolicy {
  statuses: number[];
  max: number;
  delayMs: number;
}
export interface ClientRun {
  results: ScimResult[];
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt: number;
}

/** count, p50, p95 and max of a list of milliseconds. */
export function stats(values: number[]) {
  const s = summarize(values);
  return { count: s.n, p50: s.p50, p95: s.p95, max: s.max };
}

export function runClient(
  api: ScimApi,
  concurrency: number,
  requests: ScimRequest[],
  retry?: RetryPolicy,
): Promise<ClientRun> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(join(__dirname, 'scimClient.worker.mjs'), {
      workerData: {
        baseUrl: api.baseUrl,
        token: api.token,
        concurrency,
        requests,
        timeoutMs: REQUEST_TIMEOUT_MS,
        retry,
      },
    });
    worker.once('message', resolvePromise);
    worker.once('error', reject);
  });
}

/** One request from this thread; resolves to its status. */
export async function scimRequest(api: ScimApi, req: ScimRequest) {
  const res = await fetch(`${api.baseUrl}${req.path}`, {
    method: req.method,
    headers: {
      authorization: `Bearer ${api.token}`,
      'content-type': 'application/scim+json',
    },
    body: req.body ? JSON.stringify(req.body) : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  await res.arrayBuffer();
  return res.status;
}

export interface Provisioned {
  users: ClientRun;
  groups: ScimResult[];
  levels: number;
  groupsStartedAt: number;
  groupsEndedAt: number;
  /** SCIM ids by org index. */
  userIds: (string | undefined)[];
  groupIds: (string | undefined)[];
  /** Requests not answered 201. */
  failed: ScimResult[];
}

/**
 * POST /Users for every user, then POST /Groups with their members (users
 * and child groups), deepest level first, so that child groups exist before
 * their parent names them as members.
 */
export async function provisionOrg(
  api: ScimApi,
  concurrency: number,
  org: Org,
  retry?: RetryPolicy,
): Promise<Provisioned> {
  const users = await runClient(
    api,
    concurrency,
    org.users.map(u => ({
      method: 'POST',
      path: '/Users',
      body: {
        schemas: [USER_SCHEMA],
        userName: u.userName,
        displayName: u.displayName,
        emails: [{ value: u.email, type: 'work', primary: true }],
        active: true,
      },
    })),
    retry,
  );
  const userIds = users.results.map(r => r.id);

  const groupIds: (string | undefined)[] = new Array(org.groups.length);
  const groups: ScimResult[] = [];
  const maxDepth = Math.max(...org.groups.map(g => g.depth));
  let groupsStartedAt = Infinity;
  let groupsEndedAt = 0;
  for (let depth = maxDepth; depth >= 0; depth--) {
    const level = org.groups
      .map((g, k) => ({ g, k }))
      .filter(({ g }) => g.depth === depth);
    const run = await runClient(
      api,
      concurrency,
      level.map(({ g }) => ({
        method: 'POST',
        path: '/Groups',
        body: {
          schemas: [GROUP_SCHEMA],
          displayName: g.displayName,
          members: [
            ...g.members.map(m => userIds[m]),
            ...g.children.map(c => groupIds[c]),
          ]
            .filter((id): id is string => Boolean(id))
            .map(value => ({ value })),
        },
      })),
      retry,
    );
    run.results.forEach((r, j) => {
      groupIds[level[j].k] = r.id;
    });
    groups.push(...run.results);
    groupsStartedAt = Math.min(groupsStartedAt, run.startedAt);
    groupsEndedAt = Math.max(groupsEndedAt, run.endedAt);
  }
  return {
    users,
    groups,
    levels: maxDepth + 1,
    groupsStartedAt,
    groupsEndedAt,
    userIds,
    groupIds,
    failed: [...users.results, ...groups].filter(r => r.status !== 201),
  };
}

/**
 * Deprovisioning latency: for each user in turn, the request (DELETE,
 * PATCH active=false, ...) is sent, then the catalog API is polled until it
 * answers 404 for the user; one user at a time.
 */
export async function measureDeprovision(options: {
  scim: ScimApi;
  catalog: CatalogApi;
  org: Org;
  /** Org indices of the users. */
  indices: number[];
  userIds: (string | undefined)[];
  request: (id: string) => ScimRequest;
  expected: number;
  label: string;
  pollMs: number;
  timeoutMs: number;
}) {
  const { org, indices, userIds, label } = options;
  const requestMs: number[] = [];
  const goneMs: number[] = [];
  for (const [n, i] of indices.entries()) {
    const user = org.users[i];
    const started = performance.now();
    const status = await scimRequest(
      options.scim,
      options.request(userIds[i]!),
    );
    requestMs.push(performance.now() - started);
    if (status !== options.expected) {
      throw new Error(`${label} ${user.userName}: ${status}`);
    }
    await waitUserGone({
      api: options.catalog,
      name: user.name,
      startedAt: started,
      pollMs: options.pollMs,
      timeoutMs: options.timeoutMs,
    });
    goneMs.push(performance.now() - started);
    progress(`${label}: ${n + 1}/${indices.length}`);
  }
  progress('');
  return { request: stats(requestMs), gone: stats(goneMs) };
}
