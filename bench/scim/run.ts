/*
 * Benchmark of SCIM provisioning into the catalog, side by side with the
 * catalog ingesting the same users and groups from a file location.
 *
 *   yarn bench:scim [--users 10000] [--groups 1000] [--concurrency 16]
 *                   [--deprovision 200] [--only scim|file] [--poll-ms 1000]
 *                   [--processing-interval default|<seconds>]
 *
 * catalog.processingInterval defaults to Backstage's own default (random
 * 100-150 s). New and changed entities are processed at once whatever the
 * interval; a short one (e.g. 1 s) makes the catalog re-process everything
 * it already holds continuously, which competes with ingestion and slows
 * both paths down.
 *
 * Not a test: it prints figures (and writes a JSON copy to bench/results/).
 * Everything runs on this machine, in this process: one real backend at a
 * time (catalog backend + the scim plugin and catalog module, SQLite in
 * memory, the real scheduler) on a free loopback port, and the SCIM client in
 * a worker thread.
 *
 * 1. File baseline: a fresh backend; the org is written as catalog YAML, a
 *    `file` location is registered through the catalog API, and the catalog
 *    API is polled until every user and group, with memberships, is visible.
 * 2. SCIM: a fresh backend; POST /Users (all users), then POST /Groups with
 *    members (users and child groups, deepest level first), `concurrency`
 *    requests in flight; the catalog API is polled from the first request
 *    until everything is visible.
 * 3. Deprovisioning, on the SCIM backend: DELETE /Users/{id}, one at a time,
 *    each timed until GET /api/catalog/entities/by-name/user/... is 404; then
 *    the same for PATCH active=false.
 */
import { readBenchArgs } from '../lib/benchArgs';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogModuleScim from '@identity-governance/plugin-catalog-backend-module-scim';
import scimPlugin from '@identity-governance/plugin-scim-backend';
import { printTable } from '../identity/stats';
import {
  CatalogApi,
  catalogNetworkRetries,
  progress,
  sleep,
  VISIBILITY_RULE,
  waitVisible,
} from '../lib/catalogVisibility';
import { fileRootLoggerFactory } from '../lib/fileRootLogger';
import {
  levels,
  makeOrg,
  memberships as countMemberships,
  Org,
  PATCH_OP,
  spread,
  writeOrgYaml,
} from '../lib/scimOrg';
import {
  measureDeprovision,
  provisionOrg,
  ScimApi,
  ScimRequest,
  stats,
} from '../lib/scimProvisioning';

const ROOT = resolve(__dirname, '../..');
const RESULTS = join(ROOT, 'bench/results');
const IDP = 'bench-idp';
const IDP_TOKEN = 'bench-scim-token-0123456789';
const CATALOG_AUTH = mockCredentials.user.header();
const GONE_POLL_MS = 20;
const GONE_TIMEOUT_MS = 120_000;
const VISIBLE_TIMEOUT_MS = 60 * 60_000;

// ---- arguments -------------------------------------------------------------

interface Options {
  users: number;
  groups: number;
  concurrency: number;
  deprovision: number;
  /** Seconds; undefined is Backstage's default (random 100-150 s). */
  processingInterval?: number;
  pollMs: number;
  only?: 'scim' | 'file';
}

function parseArgs(argv: string[]): Options {
  const args = readBenchArgs(argv, 'bench/scim/run.ts', [
    'users',
    'groups',
    'concurrency',
    'deprovision',
    'processing-interval',
    'poll-ms',
    'only',
  ]);
  const interval = args.text('processing-interval');
  const options: Options = {
    users: args.whole('users', 10000),
    groups: args.whole('groups', 1000),
    concurrency: Math.max(1, args.whole('concurrency', 16)),
    deprovision: args.whole('deprovision', 200),
    processingInterval:
      interval === undefined || interval === 'default'
        ? undefined
        : Math.max(1, args.whole('processing-interval', 1)),
    pollMs: Math.max(50, args.whole('poll-ms', 1000)),
    only: args.choice('only', ['scim', 'file'] as const),
  };
  if (options.users < 1 || options.groups < 1) {
    throw new Error('--users and --groups must be at least 1');
  }
  return options;
}

// The organisation, its SCIM requests and its YAML: bench/lib/scimOrg.ts.

// ---- backends --------------------------------------------------------------

/** Lets the catalog API register `file` locations (default: `url` only). */
const allowFileLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'bench-file-locations',
  register(reg) {
    reg.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});

async function startBackend(label: string, options: Options) {
  const started = Date.now();
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      scimPlugin,
      catalogModuleScim,
      allowFileLocations,
      // The real scheduler, so the SCIM reconciliation runs as in production
      // (5 s after start, then every 30 minutes).
      schedulerServiceFactory,
      fileRootLoggerFactory(join(RESULTS, `scim-bench-${label}.log`), []),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          catalog: {
            rules: [{ allow: ['User', 'Group', 'Location'] }],
            ...(options.processingInterval === undefined
              ? {}
              : {
                  processingInterval: { seconds: options.processingInterval },
                }),
          },
          scim: { identityProviders: [{ name: IDP, token: IDP_TOKEN }] },
        },
      }),
    ],
  });
  const port = (backend.server.address() as { port: number }).port;
  return {
    backend,
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    startupMs: Date.now() - started,
  };
}

// Visibility through the catalog API: bench/lib/catalogVisibility.ts; the
// SCIM client: bench/lib/scimProvisioning.ts.

const catalogApi = (baseUrl: string): CatalogApi => ({
  baseUrl,
  authorization: CATALOG_AUTH,
});
const scimApi = (baseUrl: string): ScimApi => ({
  baseUrl: `${baseUrl}/api/scim/v2`,
  token: IDP_TOKEN,
});

// ---- figures ---------------------------------------------------------------

const sec = (ms: number | undefined) =>
  ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`;
const msf = (ms: number) => `${Math.round(ms)} ms`;

// ---- phases ----------------------------------------------------------------

async function fileBaseline(options: Options, org: Org) {
  const dir = join(
    ROOT,
    `bench/data/scim-${options.users}u-${options.groups}g`,
  );
  const target = writeOrgYaml(org, dir);
  const { backend, baseUrl, port, startupMs } = await startBackend(
    'file',
    options,
  );
  try {
    // Same settling time as the SCIM phase (startup tasks run at 5 s).
    await sleep(6000);
    const t0 = Date.now();
    const res = await fetch(`${baseUrl}/api/catalog/locations`, {
      method: 'POST',
      headers: {
        authorization: CATALOG_AUTH,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ type: 'file', target }),
    });
    if (res.status !== 201) {
      throw new Error(
        `Registering the location: ${res.status} ${await res.text()}`,
      );
    }
    const registerMs = Date.now() - t0;
    const m = await waitVisible({
      api: catalogApi(baseUrl),
      org,
      t0,
      pollMs: options.pollMs,
      timeoutMs: VISIBLE_TIMEOUT_MS,
      ready: () => true,
      label: 'file',
    });
    return { port, startupMs, registerMs, target, ...m };
  } finally {
    await backend.stop();
  }
}

async function scimRun(options: Options, org: Org) {
  const { backend, baseUrl, port, startupMs } = await startBackend(
    'scim',
    options,
  );
  try {
    await sleep(6000);
    const t0 = Date.now();
    let writesDone = false;
    const visible = waitVisible({
      api: catalogApi(baseUrl),
      org,
      t0,
      pollMs: options.pollMs,
      timeoutMs: VISIBLE_TIMEOUT_MS,
      ready: () => writesDone,
      label: 'scim',
    });
    visible.catch(() => {});

    // Users, then groups with their members, deepest level first.
    const provisioned = await provisionOrg(
      scimApi(baseUrl),
      options.concurrency,
      org,
    );
    writesDone = true;
    const usersRun = provisioned.users;
    const groupResults = provisioned.groups;
    const { groupsStartedAt, groupsEndedAt, userIds, failed } = provisioned;
    const lastWrite = groupsEndedAt - t0;

    if (failed.length) {
      console.log(
        `${failed.length} SCIM requests failed, e.g. ${failed[0].status} ${failed[0].error}`,
      );
      throw new Error(
        'Some SCIM requests failed; the catalog would never show them all',
      );
    }
    const m = await visible;

    // Deprovisioning, one user at a time.
    const deleted = spread(org.users.length, options.deprovision, 0);
    const deactivated = spread(
      org.users.length,
      options.deprovision,
      Math.max(1, Math.floor(org.users.length / options.deprovision / 2)),
    ).filter(i => !deleted.includes(i));
    const deprovision = (
      indices: number[],
      request: (id: string) => ScimRequest,
      expected: number,
      label: string,
    ) =>
      measureDeprovision({
        scim: scimApi(baseUrl),
        catalog: catalogApi(baseUrl),
        org,
        indices,
        userIds,
        request,
        expected,
        label,
        pollMs: GONE_POLL_MS,
        timeoutMs: GONE_TIMEOUT_MS,
      });
    const del = await deprovision(
      deleted,
      id => ({ method: 'DELETE', path: `/Users/${id}` }),
      204,
      'DELETE',
    );
    const deact = await deprovision(
      deactivated,
      id => ({
        method: 'PATCH',
        path: `/Users/${id}`,
        body: {
          schemas: [PATCH_OP],
          Operations: [{ op: 'replace', path: 'active', value: false }],
        },
      }),
      200,
      'PATCH active=false',
    );

    const seconds = (a: number, b: number) => (b - a) / 1000;
    return {
      port,
      startupMs,
      users: {
        count: usersRun.results.length,
        seconds: seconds(usersRun.startedAt, usersRun.endedAt),
        perSecond:
          usersRun.results.length /
          seconds(usersRun.startedAt, usersRun.endedAt),
        latency: stats(usersRun.results.map(r => r.ms)),
      },
      groups: {
        count: groupResults.length,
        levels: provisioned.levels,
        seconds: seconds(groupsStartedAt, groupsEndedAt),
        perSecond:
          groupResults.length / seconds(groupsStartedAt, groupsEndedAt),
        latency: stats(groupResults.map(r => r.ms)),
      },
      lastWriteMs: lastWrite,
      ...m,
      deprovision: { delete: del, deactivate: deact },
    };
  } finally {
    await backend.stop();
  }
}

// ---- main ------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(RESULTS, { recursive: true });
  const org = makeOrg(options.users, options.groups);
  const memberships = countMemberships(org);
  const cpus = os.cpus();
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverageAtStart: os.loadavg().map(l => Number(l.toFixed(2))),
  };
  const interval =
    options.processingInterval === undefined
      ? "Backstage's default (random 100-150 s)"
      : `${options.processingInterval} s`;
  console.log(
    `SCIM benchmark: ${options.users} users, ${options.groups} groups (${levels(
      org,
    )} levels), ${memberships} user memberships`,
  );
  console.log(
    `Node ${machine.node}, ${machine.cpus} x ${machine.cpuModel}, ${
      machine.memoryGiB
    } GiB, ${
      machine.platform
    }; load average at start ${machine.loadAverageAtStart.join(' ')}`,
  );
  console.log(
    `Backend: @backstage/plugin-catalog-backend + the scim plugin and catalog module, in this process; SQLite in memory (better-sqlite3); real scheduler; a fresh backend per path, file baseline first`,
  );
  console.log(
    `catalog.processingInterval: ${interval}. It affects visibility: new and changed entities are processed at once, but a short interval re-processes everything already ingested over and over, competing with ingestion`,
  );
  console.log(
    `Catalog API polled every ${options.pollMs} ms (visibility has that resolution); ${VISIBILITY_RULE}`,
  );
  const runAt = new Date().toISOString();

  let file: Awaited<ReturnType<typeof fileBaseline>> | undefined;
  let scim: Awaited<ReturnType<typeof scimRun>> | undefined;
  if (options.only !== 'scim') {
    file = await fileBaseline(options, org);
  }
  if (options.only !== 'file') {
    scim = await scimRun(options, org);
  }

  console.log('\nVisibility through the catalog API (seconds from t0)');
  const entities = options.users + options.groups;
  const rate = (ms: number | undefined) =>
    ms === undefined ? 'n/a' : ((entities * 1000) / ms).toFixed(1);
  const rows: string[][] = [];
  if (file) {
    rows.push([
      'file location (baseline)',
      'POST /api/catalog/locations',
      sec(file.usersVisible),
      sec(file.groupsVisible),
      sec(file.allVisible),
      rate(file.allVisible),
      '',
    ]);
  }
  if (scim) {
    rows.push([
      `SCIM, ${options.concurrency} concurrent requests`,
      'first POST /Users',
      sec(scim.usersVisible),
      sec(scim.groupsVisible),
      sec(scim.allVisible),
      rate(scim.allVisible),
      sec(scim.allVisible! - scim.lastWriteMs),
    ]);
  }
  printTable(
    [
      'path',
      't0',
      'all users visible',
      'all groups visible',
      'all with memberships',
      'entities/s',
      'after last SCIM response',
    ],
    rows,
  );

  if (scim) {
    console.log(
      `\nSCIM provisioning over HTTP (${options.concurrency} concurrent requests from a worker thread, no retries, 0 errors)`,
    );
    printTable(
      ['requests', 'count', 'wall time', 'per second', 'p50', 'p95', 'max'],
      [
        [
          'POST /Users',
          String(scim.users.count),
          sec(scim.users.seconds * 1000),
          scim.users.perSecond.toFixed(1),
          msf(scim.users.latency.p50),
          msf(scim.users.latency.p95),
          msf(scim.users.latency.max),
        ],
        [
          `POST /Groups with members (${scim.groups.levels} levels)`,
          String(scim.groups.count),
          sec(scim.groups.seconds * 1000),
          scim.groups.perSecond.toFixed(1),
          msf(scim.groups.latency.p50),
          msf(scim.groups.latency.p95),
          msf(scim.groups.latency.max),
        ],
      ],
    );
    console.log(
      `\nDeprovisioning latency, one user at a time, request sent until GET /api/catalog/entities/by-name/user/default/<name> is 404 (polled every ${GONE_POLL_MS} ms)`,
    );
    const d = scim.deprovision;
    printTable(
      ['operation', 'users', 'p50', 'p95', 'max', 'SCIM response p50'],
      [
        [
          'DELETE /Users/{id}',
          String(d.delete.gone.count),
          msf(d.delete.gone.p50),
          msf(d.delete.gone.p95),
          msf(d.delete.gone.max),
          msf(d.delete.request.p50),
        ],
        [
          'PATCH active=false',
          String(d.deactivate.gone.count),
          msf(d.deactivate.gone.p50),
          msf(d.deactivate.gone.p95),
          msf(d.deactivate.gone.max),
          msf(d.deactivate.request.p50),
        ],
      ],
    );
  }
  const loadAtEnd = os.loadavg().map(l => Number(l.toFixed(2)));
  console.log(
    `\nLoad average at end: ${loadAtEnd.join(
      ' ',
    )}; catalog API calls retried after a network error: ${catalogNetworkRetries()}`,
  );

  const out = join(RESULTS, `scim-${runAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        runAt,
        command: `yarn bench:scim ${process.argv.slice(2).join(' ')}`.trim(),
        options: { ...options, processingInterval: interval },
        machine: { ...machine, loadAverageAtEnd: loadAtEnd },
        networkRetries: catalogNetworkRetries(),
        org: {
          users: options.users,
          groups: options.groups,
          memberships,
        },
        file,
        scim,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`JSON: ${out}`);
}

main().then(
  () => process.exit(0),
  error => {
    progress('');
    console.error(error);
    process.exit(1);
  },
);
