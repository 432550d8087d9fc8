// PostgreSQL restarted during a SCIM provisioning run: the server ends every
// connection (SQLSTATE 57P01) and refuses new ones until it is back. A
// request that fails for that reason answers 503 in SCIM's error format with
// Retry-After, never a 500 or a stack; the IdP client retries it; nothing is
// lost or half-written; and both replicas carry on without being restarted.
//
// The server is this machine's PostgreSQL cluster (REPLICAS_PG_CLUSTER,
// default "15 main"), restarted with pg_ctlcluster as its administrator
// would; the test needs the right to do that (root here, as in CI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  expectStatus,
  proxyUrl,
  replicas,
  runTag,
  SCIM_ERROR,
  scim,
  schedules,
} from './harness.mjs';
import { createIdpClient } from './idpClient.mjs';
import {
  assertCatalogConverges,
  assertStoreHoldsRun,
  membershipCount,
  provision,
} from './provisioningRun.mjs';

const USERS = Number(process.env.REPLICAS_PG_RESTART_USERS ?? 200);
const GROUPS = Number(process.env.REPLICAS_PG_RESTART_GROUPS ?? 20);
const CONCURRENCY = 8;
/** The share of users provisioned when the server is restarted. */
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

async function restartPostgres() {
  const started = Date.now();
  await run(
    'pg_ctlcluster',
    [
      '--skip-systemctl-redirect',
      PG_VERSION,
      PG_CLUSTER,
      'restart',
      '-m',
      'fast',
    ],
    { timeout: 120_000 },
  );
  return Date.now() - started;
}

test(`PostgreSQL restarted while provisioning ${USERS} users and ${GROUPS} groups: 503s with Retry-After, nothing lost, replicas recover by themselves`, async t => {
  const pidsBefore = await Promise.all(replicas.map(listenerPid));
  const failures = [];
  let during = 0;
  let restarting = false;
  const idp = createIdpClient(proxyUrl, {
    // A restart takes a few seconds; the default budget of attempts with
    // its backoff spans about as long, and an IdP keeps retrying for hours.
    maxAttempts: 30,
    observe: response => {
      if (restarting) {
        during++;
      }
      if (response.status >= 500) {
        failures.push(response);
      }
    },
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
        restarting = true;
        restart = restartPostgres().finally(() => {
          restarting = false;
        });
      }
    },
  });
  assert.ok(restart, 'the server was never restarted');
  const restartMs = await restart;
  t.diagnostic(
    `provisioned ${USERS} users, ${GROUPS} groups, ${membershipCount(
      provisioned,
    )} memberships in ${
      (Date.now() - started) / 1000
    } s; PostgreSQL restart took ${restartMs} ms, ${during} responses during it; client: ${JSON.stringify(
      idp.stats,
    )}`,
  );

  // The fault was met: requests failed while the server was down.
  assert.ok(
    failures.length > 0,
    `no request failed during the restart (${during} responses during it): the test did not meet the fault`,
  );
  for (const failure of failures) {
    const where = `${failure.method} ${failure.path} on ${failure.servedBy}: ${failure.status} ${failure.text}`;
    assert.equal(failure.status, 503, where);
    assert.equal(failure.retryAfter, '5', `Retry-After: ${where}`);
    assert.deepEqual(failure.body?.schemas, [SCIM_ERROR], where);
    assert.equal(failure.body?.status, '503', where);
    assert.doesNotMatch(failure.text, /\n\s+at |node_modules|stack/i, where);
  }
  t.diagnostic(
    `${failures.length} answers 503 with Retry-After in SCIM's format, e.g. ${failures[0].text}`,
  );

  // Nothing lost, nothing half-written, read back through both replicas.
  for (const base of replicas) {
    await assertStoreHoldsRun(createIdpClient(base), provisioned);
  }
  // Deltas that failed during the restart are tried again every 5 s; a
  // reconciliation the restart cut short holds its lock until its timeout
  // and the scheduler's janitor free it (seen: converged after 42 and 48 s).
  const catalogSeconds = await assertCatalogConverges(
    provisioned,
    Date.now() +
      (2 * schedules.reconcileSeconds +
        schedules.timeoutSeconds +
        schedules.janitorSeconds +
        15) *
        1000,
  );
  t.diagnostic(`the catalog converged ${catalogSeconds} s after the run`);

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
});
