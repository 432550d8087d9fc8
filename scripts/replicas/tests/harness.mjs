// What the replica tests share: where the replicas and the proxy are, with
// which tokens, and small clients for the SCIM API and the catalog.
//
// The setup comes from the environment (scripts/replicas.sh test exports
// it) or else from the state directory's state.env (REPLICAS_STATE_DIR,
// default .demo/replicas), so that the tests also run
// against replicas started by hand:
//   scripts/replicas.sh start
//   node --test 'scripts/replicas/tests/*.test.mjs'
import {
  appendFileSync,
  closeSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

/** Where replicas.sh keeps the app, configs, logs and state of this run. */
const stateDir =
  process.env.REPLICAS_STATE_DIR ??
  fileURLToPath(new URL('../../../.demo/replicas', import.meta.url));

function stateFile() {
  try {
    const text = readFileSync(`${stateDir}/state.env`, 'utf8');
    return Object.fromEntries(
      text
        .split('\n')
        .filter(line => /^[A-Z_]+=/.test(line))
        .map(line => {
          const i = line.indexOf('=');
          return [line.slice(0, i), line.slice(i + 1).replace(/^"|"$/g, '')];
        }),
    );
  } catch {
    return {};
  }
}

const state = { ...stateFile(), ...process.env };
for (const key of ['REPLICA_URLS', 'PROXY_URL', 'STATIC_TOKEN']) {
  if (!state[key]) {
    throw new Error(
      `${key} is not set: start the replicas with scripts/replicas.sh start`,
    );
  }
}

export const replicas = state.REPLICA_URLS.split(/\s+/).filter(Boolean);
export const proxyUrl = state.PROXY_URL;
const staticToken = state.STATIC_TOKEN;
/** The periods of the scheduled work, in the test-only config. */
export const schedules = {
  reconcileSeconds: Number(state.RECONCILE_SECONDS ?? 10),
  indexRefreshSeconds: Number(state.INDEX_REFRESH_SECONDS ?? 5),
  /** The timeout of both tasks in the test-only config (replicas.sh). */
  timeoutSeconds: 15,
  /** How often Backstage's scheduler frees the locks of timed-out runs. */
  janitorSeconds: 60,
  /**
   * How often each replica's scheduler looks for due work: 5 s, or the
   * task's period if shorter (TaskWorker's work check frequency). A run
   * may start up to that late, and the run after it is then due at once.
   */
  pollSeconds: 5,
  /**
   * How soon a failed SCIM reconciliation is tried again, by triggering its
   * task (catalog-backend-module-scim's RECONCILE_RETRY_MS; not configured).
   */
  reconcileRetrySeconds: 30,
  /**
   * How soon the catalog tries again an entity whose processing failed: its
   * processing interval, each entity's next run falling between it and 1.5
   * times it (REPLICAS_CATALOG_RETRY_SECONDS, which `scripts/replicas.sh
   * test` sets; else Backstage's default, 100 to 150 s).
   */
  catalogProcessingSeconds: Number(state.CATALOG_RETRY_SECONDS || 100),
  /** And one whose stitching failed: the stitch timeout (default 60 s). */
  catalogStitchTimeoutSeconds: Number(state.CATALOG_RETRY_SECONDS || 60),
};
/** This run's database name prefix: scripts/replicas.sh stop drops them. */
export const dbPrefix = state.DB_PREFIX;
const scimToken = state.SCIM_ENTRA_TOKEN;

assert.ok(replicas.length >= 2, 'the replica tests need two replicas');
export const [replicaA, replicaB] = replicas;

/** A tag that keeps this run's names apart from any earlier run's. */
export const runTag = randomBytes(3).toString('hex');

export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * One SCIM request to one base URL (a replica or the proxy). Answers the
 * status, the ETag, the replica that served it and the parsed body.
 */
export async function scim(base, method, path, { body, ifMatch } = {}) {
  const res = await fetch(`${base}/api/scim/v2${path}`, {
    method,
    headers: {
      authorization: `Bearer ${scimToken}`,
      accept: 'application/scim+json',
      ...(body ? { 'content-type': 'application/scim+json' } : {}),
      ...(ifMatch ? { 'if-match': ifMatch } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return {
    status: res.status,
    etag: res.headers.get('etag') ?? undefined,
    servedBy: res.headers.get('x-served-by') ?? undefined,
    retryAfter: res.headers.get('retry-after') ?? undefined,
    body: parseJson(text),
    text,
  };
}

/** A body as JSON, or undefined when there is none or it is not JSON (the proxy's 502). */
function parseJson(text) {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Fails with the response in the message unless the status is expected. */
export function expectStatus(response, ...expected) {
  assert.ok(
    expected.includes(response.status),
    `expected ${expected.join(' or ')}, got ${response.status}: ${
      response.text
    }`,
  );
  return response;
}

export async function createUser(base, userName, extra = {}) {
  const res = await scim(base, 'POST', '/Users', {
    body: { schemas: [USER_SCHEMA], userName, ...extra },
  });
  return expectStatus(res, 201).body;
}

export async function createGroup(base, displayName, members = []) {
  const res = await scim(base, 'POST', '/Groups', {
    body: {
      schemas: [GROUP_SCHEMA],
      displayName,
      members: members.map(value => ({ value })),
    },
  });
  return expectStatus(res, 201).body;
}

export function patchOp(...operations) {
  return { schemas: [PATCH_SCHEMA], Operations: operations };
}

/** An entity from the catalog's API, read with the tests' static token. */
export async function catalogEntity(base, ref) {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  const res = await fetch(
    `${base}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    { headers: { authorization: `Bearer ${staticToken}` } },
  );
  const text = await res.text();
  if (res.status === 404) {
    return undefined;
  }
  assert.equal(res.status, 200, text);
  return JSON.parse(text);
}

/** The catalog's totalItems for a by-query search (`query` as URL parameters). */
export async function catalogCount(base, query) {
  const res = await fetch(
    `${base}/api/catalog/entities/by-query?${query}&limit=1`,
    { headers: { authorization: `Bearer ${staticToken}` } },
  );
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text).totalItems;
}

/**
 * A user's Backstage token from one base URL, through the demo sign-in the
 * test-only config allows for the tests' users (scripts/replicas.sh).
 */
export async function signIn(base, userRef) {
  const res = await fetch(`${base}/api/auth/demo/refresh`, {
    headers: { 'x-demo-user': userRef, 'x-requested-with': 'XMLHttpRequest' },
  });
  const text = await res.text();
  assert.equal(res.status, 200, `sign-in as ${userRef}: ${text}`);
  return JSON.parse(text).backstageIdentity.token;
}

/**
 * What the permission backend of one base URL answers for one permission
 * (`{ type, name, attributes }`) and no resource.
 */
export async function authorize(base, token, permission) {
  const res = await fetch(`${base}/api/permission/authorize`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      items: [
        {
          id: '1',
          permission,
        },
      ],
    }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text).items[0].result;
}

/** The first entity whose SCIM id annotation is `id`, if any. */
export async function catalogEntityOfScimId(base, kind, id) {
  const filter = `kind=${kind},metadata.annotations.scim.identity-governance.io/id=${id}`;
  const res = await fetch(
    `${base}/api/catalog/entities/by-query?filter=${encodeURIComponent(
      filter,
    )}&limit=2`,
    { headers: { authorization: `Bearer ${staticToken}` } },
  );
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text).items[0];
}

/**
 * Polls `read` until `accept` holds for what it answers; fails with the last
 * answer after `timeoutMs`.
 */
export async function eventually(
  read,
  accept,
  { timeoutMs = 20_000, intervalMs = 250, what = 'the condition' } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await read();
    if (accept(last)) {
      return last;
    }
    if (Date.now() > deadline) {
      assert.fail(
        `${what} did not hold within ${timeoutMs} ms; last seen: ${JSON.stringify(
          last,
        )}`,
      );
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

export const sleep = ms => new Promise(r => setTimeout(r, ms));

const replicasScript = fileURLToPath(
  new URL('../../replicas.sh', import.meta.url),
);

async function replicasCommand(...args) {
  const { stdout } = await promisify(execFile)(replicasScript, args, {
    timeout: 240_000,
  });
  return stdout;
}

/** The 1-based number of a replica, from its base URL or its number. */
export function replicaNumber(replica) {
  const n =
    typeof replica === 'number' ? replica : replicas.indexOf(replica) + 1;
  assert.ok(n >= 1 && n <= replicas.length, `no replica ${replica}`);
  return n;
}

/**
 * Kills a replica with SIGKILL (`scripts/replicas.sh kill <n>`), as a crash
 * would, and resolves once the process is gone. Takes its number (1-based)
 * or its base URL.
 */
export async function killReplica(replica) {
  await replicasCommand('kill', String(replicaNumber(replica)));
}

/**
 * Starts a killed replica again on the same databases
 * (`scripts/replicas.sh start-replica <n>`) and resolves once it is ready.
 */
export async function startReplica(replica) {
  await replicasCommand('start-replica', String(replicaNumber(replica)));
}

/** The repository, and the production bundle the replicas run from. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const appDir = `${stateDir}/app`;
export const configDir = `${stateDir}/config`;

/**
 * Runs one query on this run's catalog database, as the tests' diagnosis of
 * what the catalog holds beneath its API (refresh_state, final_entities,
 * stitch_queue, search; Backstage's schema, not an API). Connects as
 * scripts/replicas/databases.mjs does, with pg from the repository.
 */
export async function queryCatalogDatabase(sql, params = []) {
  const { Client } = createRequire(`${repoRoot}package.json`)('pg');
  const client = new Client({
    host: process.env.POSTGRES_HOST ?? '127.0.0.1',
    port: Number(process.env.POSTGRES_PORT ?? 5432),
    user: process.env.POSTGRES_USER ?? 'postgres',
    password: process.env.POSTGRES_PASSWORD,
    database: `${dbPrefix}catalog`,
  });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** The path of a replica's log (appended to across restarts). */
export function replicaLogPath(replica) {
  return `${stateDir}/logs/replica-${replicaNumber(replica)}.log`;
}

/** The size of a replica's log now: where to read its next lines from. */
export function logOffset(replica) {
  return statSync(replicaLogPath(replica)).size;
}

/**
 * The JSON log entries a replica wrote since `offset`, each with the
 * replica's number; lines that are not JSON (restart marks) are skipped.
 */
export function logEntriesSince(replica, offset = 0) {
  return logEntries(logLinesSince(replica, offset), replicaNumber(replica));
}

function logEntries(lines, replica, extra = {}) {
  return lines.flatMap(line => {
    try {
      return [{ ...JSON.parse(line), replica, ...extra }];
    } catch {
      return [];
    }
  });
}

/**
 * The lines a replica wrote from `offset` (to `end`, a later offset, or
 * the end), as they are (JSON or not).
 */
export function logLinesSince(replica, offset = 0, end = undefined) {
  const path = replicaLogPath(replica);
  return logBytes(path, offset, end ?? statSync(path).size)
    .toString()
    .split('\n')
    .filter(Boolean);
}

/** Bytes `offset` to `end` of a log, read without reading what is before. */
function logBytes(path, offset, end) {
  const buffer = Buffer.alloc(Math.max(0, end - offset));
  const fd = openSync(path, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, offset));
  } finally {
    closeSync(fd);
  }
}

/**
 * Watches every replica's log while a test runs: each JSON entry written
 * from now on, with the replica's number and when it was written, as well
 * as reading tells: after `after` and by `by` (performance.now(), ms). The
 * replicas write their logs a line at a time, appending, so of two lines
 * one is surely written before the other when its `by` is below the
 * other's `after`, whichever replica wrote them.
 */
export function watchLogs({ intervalMs = 100 } = {}) {
  const startedAt = performance.now();
  const files = replicas.map(replica => ({
    path: replicaLogPath(replica),
    offset: logOffset(replica),
    readAt: startedAt,
  }));
  const entries = [];
  const read = () => {
    files.forEach((file, i) => {
      const before = performance.now();
      const size = statSync(file.path).size;
      const by = performance.now();
      const after = file.readAt;
      const buffer = logBytes(file.path, file.offset, size);
      // Whole lines only: a line still being written is read again, whole,
      // next time, and was not there before this read began.
      const end = buffer.lastIndexOf(0x0a) + 1;
      file.offset += end;
      file.readAt = end < buffer.length ? after : before;
      const lines = buffer.subarray(0, end).toString().split('\n');
      entries.push(...logEntries(lines, i + 1, { after, by }));
    });
  };
  const timer = setInterval(read, intervalMs);
  return {
    /** The entries so far. */
    entries() {
      read();
      return entries;
    },
    /** Reads what is left and stops: the entries, and the span watched. */
    stop() {
      clearInterval(timer);
      read();
      return { entries, seconds: (performance.now() - startedAt) / 1000 };
    },
  };
}

/**
 * Lines of the replicas' logs that a test checked and found to be the
 * expected outcome of a fault it caused (a 503, an error logged while the
 * database was down): the log check of `scripts/replicas.sh test`, which
 * fails on any 5xx answered or error logged, skips exactly these lines.
 */
export function tolerateLogLines(lines) {
  if (lines.length) {
    appendFileSync(`${stateDir}/logs/tolerated.log`, `${lines.join('\n')}\n`);
  }
}
