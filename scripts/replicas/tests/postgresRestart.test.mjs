// PostgreSQL restarted during a SCIM provisioning run: the server ends every
// connection (SQLSTATE 57P01) and refuses new ones until it is back. A
// request that fails for that reason answers 503 in SCIM's error format with
// Retry-After, never a 500 or a stack; the IdP client retries it; nothing is
// lost or half-written; and both replicas carry on without being restarted.
//
// The server is this machine's PostgreSQL cluster (REPLICAS_PG_CLUSTER,
// default "15 main"), restarted with pg_ctlcluster as its administrator
// would; the test needs the right to do that (root here, as in CI).
//
// Alone: REPLICAS_TESTS=scripts/replicas/tests/postgresRestart.test.mjs \
//   scripts/replicas.sh test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  expectStatus,
  logLinesSince,
  logOffset,
  proxyUrl,
  replicas,
  runTag,
  SCIM_ERROR,
  scim,
  sleep,
  tolerateLogLines,
} from './harness.mjs';
import { createIdpClient } from './idpClient.mjs';
import {
  assertCatalogConverges,
  assertStoreHoldsRun,
  catalogSettleDeadline,
  membershipCount,
  provision,
} from './provisioningRun.mjs';

const USERS = Number(process.env.REPLICAS_PG_RESTART_USERS ?? 200);
const GROUPS = Number(process.env.REPLICAS_PG_RESTART_GROUPS ?? 20);
const CONCURRENCY = 8;
/**
 * The share of users provisioned when the server is restarted: the run
 * goes on for several seconds after the restart, so that requests are in
 * flight when the connections end and arrive while the server is down.
 */
const RESTART_AT = 0.3;
const [PG_VERSION, PG_CLUSTER] = (
  process.env.REPLICAS_PG_CLUSTER ?? '15 main'
).split(' ');

const run = promisify(execFile);

/** The pid listening on a replica's port: a restarted replica has another. */
async function listenerPid(base) {
  const { port } = new URL(base);
  const { stdout } = await run('ss', ['-Hltnp', `sport = :${port}`]);
  const pid = /pid=(\d+)/.exec(stdout)?.[1];
  assert.ok(pid, `nothing listens on ${port}: ${stdout}`);
  return pid;
}

function pgCtlCluster(action, ...options) {
  return run(
    'pg_ctlcluster',
    ['--skip-systemctl-redirect', PG_VERSION, PG_CLUSTER, action, ...options],
    { timeout: 120_000 },
  );
}

/**
 * How long after the server is back the replicas may still log what its
 * absence caused (a task that failed on it, logging as it gives up).
 */
const OUTAGE_AFTERMATH_MS = 5000;

/**
 * Restarts the server. Answers when it was down (`from`, `to`: ms since the
 * epoch) and the replicas' log offsets from its start to a few seconds after
 * it was back (`logs`: [from, to] per replica).
 */
async function restartPostgres() {
  const logsFrom = replicas.map(logOffset);
  const from = Date.now();
  try {
    await pgCtlCluster('restart', '-m', 'fast');
  } catch (error) {
    // Whatever went wrong, the server is left running for what follows.
    await pgCtlCluster('start').catch(() => {});
    throw error;
  }
  const to = Date.now();
  await sleep(OUTAGE_AFTERMATH_MS);
  return {
    from,
    to,
    logs: replicas.map((base, i) => [logsFrom[i], logOffset(base)]),
  };
}

/** A stack frame or a stack property, in a body or a log line. */
const STACK = /\s+at \S.*:\d+:\d+|node_modules|"stack"/;

/**
 * What the IdP may see: a success; a 409 to a POST it sent again (the first
 * committed, its answer was lost); or SCIM's 503 with Retry-After. Never a
 * 500, never the proxy's 502 (no replica went away), never a stack.
 */
function unexpectedAnswer(r) {
  if (STACK.test(r.text)) {
    return 'a stack in the body';
  }
  if (r.status >= 200 && r.status < 300) {
    return undefined;
  }
  if (r.status === 409) {
    return r.method === 'POST' && r.attempt > 1
      ? undefined
      : '409 to a request not sent before';
  }
  if (r.status === 503) {
    if (r.retryAfter !== '5') {
      return `Retry-After ${r.retryAfter}`;
    }
    if (
      JSON.stringify(r.body?.schemas) !== JSON.stringify([SCIM_ERROR]) ||
      r.body?.status !== '503'
    ) {
      return "not SCIM's error format";
    }
    return undefined;
  }
  return `status ${r.status}`;
}

/** What pg, knex and PostgreSQL say when the server is not there. */
const DATABASE_UNAVAILABLE =
  /57P0[123]|53300|too many clients already|terminating connection due to administrator command|the database system is (shutting down|starting up|not yet accepting connections)|Connection terminated|Connection ended unexpectedly|connection error and is not queryable|Client was closed and is not queryable|ECONNREFUSED|ECONNRESET|Timeout acquiring a connection/;
/** A replica's process crashing, or caught just short of it, or restarted. */
const CRASH =
  /Uncaught exception|Unhandled rejection|"type":"(uncaughtException|unhandledRejection)"|^Node\.js v\d|^replicas: replica \d+ restarted/;

/** A JSON log line as an object, or undefined. */
function parseLine(line) {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/**
 * Sorts what the replicas logged during the test (`lines`: `{ line,
 * duringOutage }`, the latter for lines written while the server was down
 * or just after): every 5xx answered and every error logged must be the
 * restart's doing, and nothing may show a crash. The restart's doing:
 * SCIM's 503 (its access log line and its audit event); the catalog's own
 * API answering 5xx to the plugins that read it (it answers 500 when its
 * database fails); a database error logged (the catalog's processing,
 * stitching and API, a scheduled task); and, while the server was down, a
 * scheduled task's failure as the scheduler logs it (the error object, at
 * times serialised as `{}`). Answers the tolerated lines by kind, the
 * crashes and the rest.
 */
function sortLogLines(lines) {
  const sorted = {
    scim503: [],
    scimAudit503: [],
    catalog5xx: [],
    databaseErrors: [],
    taskFailures: [],
  };
  const crashes = [];
  const unexpected = [];
  // The catalog's error handler logs a database error it answered 500 in two
  // lines: the error with a logId, and "Request failed ... logId=<id>".
  const databaseLogIds = new Set(
    lines.flatMap(({ line }) => {
      const logId = DATABASE_UNAVAILABLE.test(line) && parseLine(line)?.logId;
      return logId ? [logId] : [];
    }),
  );
  const isDatabaseError = line =>
    DATABASE_UNAVAILABLE.test(line) ||
    databaseLogIds.has(/logId=(\w+)/.exec(line)?.[1]);
  for (const { line, duringOutage } of lines) {
    if (CRASH.test(line)) {
      crashes.push(line);
      continue;
    }
    // What replicas.sh's log check looks at.
    if (!/"status":5\d\d|"level":"error"/.test(line)) {
      continue;
    }
    const entry = parseLine(line) ?? {};
    const url = entry.url ?? '';
    if (entry.type === 'incomingRequest' && entry.status >= 500) {
      if (url.startsWith('/.backstage/health/')) {
        continue;
      }
      if (entry.status === 503 && url.startsWith('/api/scim/v2/')) {
        sorted.scim503.push(line);
      } else if (url.startsWith('/api/catalog/')) {
        sorted.catalog5xx.push(line);
      } else {
        unexpected.push(line);
      }
    } else if (
      entry.isAuditEvent &&
      entry.plugin === 'scim' &&
      entry.meta?.status === 503 &&
      entry.level !== 'error'
    ) {
      sorted.scimAudit503.push(line);
    } else if (entry.level === 'error' && isDatabaseError(line)) {
      sorted.databaseErrors.push(line);
    } else if (entry.level === 'error' && entry.task && duringOutage) {
      sorted.taskFailures.push(line);
    } else {
      unexpected.push(line);
    }
  }
  return { sorted, crashes, unexpected };
}

test(`PostgreSQL restarted while provisioning ${USERS} users and ${GROUPS} groups: 503s with Retry-After, nothing lost, replicas recover by themselves`, async t => {
  const pidsBefore = await Promise.all(replicas.map(listenerPid));
  const logsFrom = replicas.map(logOffset);
  const answers = [];
  const idp = createIdpClient(proxyUrl, {
    // A restart takes a few seconds; the default budget of attempts with
    // its backoff spans about as long, and an IdP keeps retrying for hours.
    maxAttempts: 30,
    observe: response => answers.push({ ...response, at: Date.now() }),
  });
  let restart;
  const started = Date.now();
  const provisioned = await provision({
    idp,
    prefix: `pgr-${runTag}`,
    users: USERS,
    groups: GROUPS,
    concurrency: CONCURRENCY,
    onUserDone: done => {
      if (!restart && done >= USERS * RESTART_AT) {
        restart = restartPostgres();
      }
    },
  });
  const runEnded = Date.now();
  assert.ok(restart, 'the server was never restarted');
  const down = await restart;
  const during = answers.filter(a => a.at >= down.from && a.at <= down.to);
  const unavailable = answers.filter(a => a.status === 503);
  t.diagnostic(
    `provisioned ${USERS} users, ${GROUPS} groups, ${membershipCount(
      provisioned,
    )} memberships in ${(runEnded - started) / 1000} s; PostgreSQL restarted ${
      (down.from - started) / 1000
    } s in and took ${down.to - down.from} ms; ${answers.length} answers, ${
      during.length
    } of them during the restart; client: ${JSON.stringify(idp.stats)}`,
  );

  // Every answer was one an IdP can act on.
  const wrong = answers.flatMap(a => {
    const why = unexpectedAnswer(a);
    return why
      ? [
          `${a.method} ${a.path} (attempt ${a.attempt}) on ${a.servedBy}: ${why}: ${a.status} ${a.text}`,
        ]
      : [];
  });
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} unexpected answers`);
  assert.equal(
    idp.stats.connectionErrors,
    0,
    'the proxy and the replicas kept accepting connections',
  );
  // The fault was met: requests in flight or arriving while the server was
  // down failed, with 503, and were retried.
  assert.ok(
    during.some(a => a.status === 503),
    `no request answered 503 during the restart (${during.length} answers during it): the test did not meet the fault`,
  );
  t.diagnostic(
    `${unavailable.length} answers 503 with Retry-After in SCIM's format (${
      during.filter(a => a.status === 503).length
    } while the server was down), none 500, e.g. ${unavailable[0].text}`,
  );

  // Nothing lost, nothing half-written, read back through both replicas.
  for (const base of replicas) {
    await assertStoreHoldsRun(createIdpClient(base), provisioned);
  }
  // The catalog: deltas that failed while the server was down are applied
  // again 5 s later, entities whose processing or stitching it cut short are
  // tried again after the catalog's retry periods (catalogSettleDeadline).
  const catalog = await assertCatalogConverges(
    provisioned,
    catalogSettleDeadline(runEnded),
  );
  const stuck = Object.entries(catalog.stuck);
  t.diagnostic(
    `the catalog converged ${catalog.seconds} s after the store check${
      stuck.length
        ? `, but for ${stuck.length} entities it left stuck: ${stuck
            .map(([ref, state]) => `${ref} ${state}`)
            .join(', ')}`
        : ''
    }`,
  );

  // The same processes serve, and are ready: none was restarted.
  assert.deepEqual(await Promise.all(replicas.map(listenerPid)), pidsBefore);
  for (const base of replicas) {
    const ready = await fetch(`${base}/.backstage/health/v1/readiness`);
    assert.equal(ready.status, 200, `${base} is ready`);
    expectStatus(
      await scim(base, 'GET', `/Users/${provisioned.userIds[0]}`),
      200,
    );
  }

  // What the replicas logged: no crash, and no 5xx or error but the
  // restart's. Those are left out of replicas.sh's log check.
  const { sorted, crashes, unexpected } = sortLogLines(
    replicas.flatMap((base, i) => {
      const [outageFrom, outageTo] = down.logs[i];
      const part = (from, to, duringOutage) =>
        logLinesSince(base, from, to).map(line => ({ line, duringOutage }));
      return [
        ...part(logsFrom[i], outageFrom, false),
        ...part(outageFrom, outageTo, true),
        ...part(outageTo, undefined, false),
      ];
    }),
  );
  assert.deepEqual(crashes, [], 'a replica crashed or was restarted');
  assert.deepEqual(
    unexpected.slice(0, 5).map(line => line.slice(0, 600)),
    [],
    `${unexpected.length} 5xx answers or errors logged that were not the restart's`,
  );
  assert.equal(
    sorted.scim503.length,
    unavailable.length,
    "the replicas' 503s are those the client saw",
  );
  tolerateLogLines(Object.values(sorted).flat());
  assert.equal(
    sorted.scimAudit503.length,
    unavailable.length,
    'each SCIM 503 has its audit event',
  );
  t.diagnostic(
    `replica logs: no crash; ${sorted.scim503.length} SCIM 503s (each with its audit event), ${sorted.catalog5xx.length} catalog API 5xx to plugins, ${sorted.databaseErrors.length} database errors logged (catalog processing and stitching, scheduled tasks), ${sorted.taskFailures.length} scheduled tasks failed while the server was down`,
  );
});
