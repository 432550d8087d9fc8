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
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogModuleScim from '@identity-governance/plugin-catalog-backend-module-scim';
import scimPlugin from '@identity-governance/plugin-scim-backend';
import { FILE_LIMIT } from '../../scripts/org/writeOrg.mjs';
import { fileRootLoggerFactory } from '../lib/fileRootLogger';

const ROOT = resolve(__dirname, '../..');
const RESULTS = join(ROOT, 'bench/results');
const IDP = 'bench-idp';
const IDP_TOKEN = 'bench-scim-token-0123456789';
const CATALOG_AUTH = mockCredentials.user.header();
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Groups with more than one parent level: each group has up to 10 children. */
const FAN_OUT = 10;
/** Users and groups whose catalog relations are checked in full. */
const SAMPLE_USERS = 100;
const SAMPLE_GROUPS = 20;
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
  const options: Options = {
    users: 10000,
    groups: 1000,
    concurrency: 16,
    deprovision: 200,
    processingInterval: undefined,
    pollMs: 1000,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    const whole = () => {
      if (!/^\d+$/.test(value ?? '')) {
        throw new Error(`${flag} needs a whole number, got '${value}'`);
      }
      return Number(value);
    };
    switch (flag) {
      case '--users':
        options.users = whole();
        break;
      case '--groups':
        options.groups = whole();
        break;
      case '--concurrency':
        options.concurrency = Math.max(1, whole());
        break;
      case '--deprovision':
        options.deprovision = whole();
        break;
      case '--poll-ms':
        options.pollMs = Math.max(50, whole());
        break;
      case '--processing-interval':
        options.processingInterval =
          value === 'default' ? undefined : Math.max(1, whole());
        break;
      case '--only':
        if (value !== 'scim' && value !== 'file') {
          throw new Error(`--only must be scim or file, got '${value}'`);
        }
        options.only = value;
        break;
      default:
        throw new Error(
          `Unknown argument ${argv[i]}; see the header of bench/scim/run.ts`,
        );
    }
  }
  if (options.users < 1 || options.groups < 1) {
    throw new Error('--users and --groups must be at least 1');
  }
  return options;
}

// ---- the organisation ------------------------------------------------------

interface OrgUser {
  userName: string;
  /** The catalog entity name the scim module derives from userName. */
  name: string;
  displayName: string;
  email: string;
  groups: number[];
}

interface OrgGroup {
  displayName: string;
  /** The catalog entity name the scim module derives from displayName. */
  name: string;
  depth: number;
  children: number[];
  members: number[];
}

/**
 * A deterministic organisation: every user in two groups (one when there is
 * a single group), groups in a tree with up to FAN_OUT children each.
 */
function makeOrg(userCount: number, groupCount: number) {
  const uw = String(userCount).length;
  const gw = String(groupCount).length;
  const groups: OrgGroup[] = Array.from({ length: groupCount }, (_, k) => {
    const n = String(k + 1).padStart(gw, '0');
    return {
      displayName: `Bench Group ${n}`,
      name: `bench_group_${n}`,
      depth: 0,
      children: [],
      members: [],
    };
  });
  for (let k = 1; k < groupCount; k++) {
    const parent = Math.floor((k - 1) / FAN_OUT);
    groups[parent].children.push(k);
    groups[k].depth = groups[parent].depth + 1;
  }
  const users: OrgUser[] = Array.from({ length: userCount }, (_, i) => {
    const n = String(i + 1).padStart(uw, '0');
    const first = i % groupCount;
    let second = (i * 37 + 11) % groupCount;
    if (second === first) second = (first + 1) % groupCount;
    const memberOf = first === second ? [first] : [first, second];
    memberOf.forEach(g => groups[g].members.push(i));
    return {
      userName: `bench.user.${n}@scim-bench.example.com`,
      name: `bench.user.${n}`,
      displayName: `Bench User ${n}`,
      email: `bench.user.${n}@scim-bench.example.com`,
      groups: memberOf,
    };
  });
  return { users, groups };
}
type Org = ReturnType<typeof makeOrg>;

const userRef = (u: OrgUser) => `user:default/${u.name}`;
const groupRef = (g: OrgGroup) => `group:default/${g.name}`;

/** The same entities the scim module emits, without its annotations. */
function writeOrgYaml(org: Org, dir: string) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const entities: Entity[] = [
    ...org.users.map(u => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: u.name, title: u.displayName },
      spec: {
        profile: { displayName: u.displayName, email: u.email },
        memberOf: u.groups.map(g => groupRef(org.groups[g])).sort(),
      },
    })),
    ...org.groups.map(g => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: g.name, title: g.displayName },
      spec: {
        type: 'team',
        profile: { displayName: g.displayName },
        children: g.children.map(c => groupRef(org.groups[c])).sort(),
        members: g.members.map(m => userRef(org.users[m])).sort(),
      },
    })),
  ];
  const targets: string[] = [];
  // Files of at most as many entities as the demo generator writes.
  for (let i = 0; i < entities.length; i += FILE_LIMIT) {
    const file = `org-${String(targets.length + 1).padStart(3, '0')}.yaml`;
    // YAML is a superset of JSON: one JSON document per entity.
    writeFileSync(
      join(dir, file),
      entities
        .slice(i, i + FILE_LIMIT)
        .map(e => `---\n${JSON.stringify(e)}\n`)
        .join(''),
    );
    targets.push(`./${file}`);
  }
  const all = join(dir, 'all.yaml');
  writeFileSync(
    all,
    `---\n${JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: { name: 'scim-bench-org' },
      spec: { targets },
    })}\n`,
  );
  return all;
}

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

// ---- catalog API -----------------------------------------------------------

let networkRetries = 0;
/**
 * fetch, retried on a network error (a keep-alive connection that the
 * server closed as it was reused shows up as ECONNRESET); counted.
 */
async function fetchRetry(url: string, init: RequestInit = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= 3) throw error;
      networkRetries++;
      await sleep(50);
    }
  }
}

async function catalogGet(baseUrl: string, path: string) {
  const res = await fetchRetry(`${baseUrl}/api/catalog${path}`, {
    headers: { authorization: CATALOG_AUTH },
  });
  if (!res.ok) {
    throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  }
  return res.json();
}

async function countEntities(baseUrl: string, filter: string) {
  const page = await catalogGet(
    baseUrl,
    `/entities/by-query?filter=${encodeURIComponent(
      filter,
    )}&limit=1&fields=metadata.name`,
  );
  return page.totalItems as number;
}

/** Indices spread evenly over `total`, `count` of them, starting at offset. */
function spread(total: number, count: number, offset = 0) {
  const n = Math.min(total, count);
  const step = total / n;
  return Array.from(
    { length: n },
    (_, i) => (Math.floor(i * step) + offset) % total,
  );
}

/** Whether sampled users and groups carry exactly the expected relations. */
async function sampleMatches(baseUrl: string, org: Org) {
  const users = spread(org.users.length, SAMPLE_USERS).map(i => org.users[i]);
  const groups = spread(org.groups.length, SAMPLE_GROUPS).map(
    i => org.groups[i],
  );
  const res = await fetchRetry(`${baseUrl}/api/catalog/entities/by-refs`, {
    method: 'POST',
    headers: {
      authorization: CATALOG_AUTH,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      entityRefs: [...users.map(userRef), ...groups.map(groupRef)],
      fields: ['kind', 'metadata.name', 'relations'],
    }),
  });
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

interface Milestones {
  /** ms from t0 */
  usersVisible?: number;
  groupsVisible?: number;
  allVisible?: number;
  polls: number;
}

/**
 * Polls the catalog API from t0 until every user and group is visible with
 * its memberships: counts first (cheap), then the relation filters, then a
 * sample compared relation by relation. `ready()` says whether the writes
 * are all done (before that, the sample cannot match yet).
 */
async function waitVisible(
  baseUrl: string,
  org: Org,
  t0: number,
  pollMs: number,
  ready: () => boolean,
  label: string,
): Promise<Milestones> {
  const m: Milestones = { polls: 0 };
  const groupsWithMembers = org.groups.filter(g => g.members.length).length;
  const deadline = t0 + VISIBLE_TIMEOUT_MS;
  for (;;) {
    const pollStarted = Date.now();
    m.polls++;
    const users = await countEntities(baseUrl, 'kind=user');
    const groups = await countEntities(baseUrl, 'kind=group');
    const now = Date.now() - t0;
    if (m.usersVisible === undefined && users >= org.users.length) {
      m.usersVisible = now;
    }
    if (m.groupsVisible === undefined && groups >= org.groups.length) {
      m.groupsVisible = now;
    }
    let linked = 0;
    if (
      ready() &&
      m.usersVisible !== undefined &&
      m.groupsVisible !== undefined
    ) {
      linked = await countEntities(baseUrl, 'kind=user,relations.memberof');
      if (
        linked >= org.users.length &&
        (await countEntities(baseUrl, 'kind=group,relations.hasmember')) >=
          groupsWithMembers &&
        (await sampleMatches(baseUrl, org))
      ) {
        m.allVisible = now;
        progress('');
        return m;
      }
    }
    progress(
      `${label}: ${Math.round(now / 1000)} s, ${users}/${
        org.users.length
      } users, ${groups}/${
        org.groups.length
      } groups, ${linked} users with memberships`,
    );
    if (Date.now() > deadline) {
      throw new Error(`${label}: not all visible after ${now} ms`);
    }
    await sleep(Math.max(0, pollMs - (Date.now() - pollStarted)));
  }
}

// ---- SCIM client -----------------------------------------------------------

interface ScimRequest {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: object;
}
interface ScimResult {
  status: number;
  id?: string;
  error?: string;
  ms: number;
}

function runClient(
  baseUrl: string,
  concurrency: number,
  requests: ScimRequest[],
): Promise<{ results: ScimResult[]; startedAt: number; endedAt: number }> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(join(__dirname, 'scimClient.worker.mjs'), {
      workerData: {
        baseUrl: `${baseUrl}/api/scim/v2`,
        token: IDP_TOKEN,
        concurrency,
        requests,
      },
    });
    worker.once('message', resolvePromise);
    worker.once('error', reject);
  });
}

async function scimRequest(baseUrl: string, req: ScimRequest) {
  const res = await fetch(`${baseUrl}/api/scim/v2${req.path}`, {
    method: req.method,
    headers: {
      authorization: `Bearer ${IDP_TOKEN}`,
      'content-type': 'application/scim+json',
    },
    body: req.body ? JSON.stringify(req.body) : undefined,
  });
  await res.arrayBuffer();
  return res.status;
}

// ---- figures ---------------------------------------------------------------

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] ?? NaN;
}

function stats(values: number[]) {
  return {
    count: values.length,
    p50: percentile(values, 0.5),
    p95: percentile(values, 0.95),
    max: values.length ? Math.max(...values) : NaN,
  };
}

const sec = (ms: number | undefined) =>
  ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(1)} s`;
const msf = (ms: number) => `${Math.round(ms)} ms`;

let lastProgress = 0;
/** A status line: rewritten in a terminal, else every 10 s on stderr. */
function progress(text: string) {
  if (process.stderr.isTTY) {
    process.stderr.write(`\r\x1b[K${text}`);
  } else if (text && Date.now() - lastProgress > 10_000) {
    lastProgress = Date.now();
    process.stderr.write(`${text}\n`);
  }
}

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach(r => console.log(line(r)));
}

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
    const m = await waitVisible(
      baseUrl,
      org,
      t0,
      options.pollMs,
      () => true,
      'file',
    );
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
    const visible = waitVisible(
      baseUrl,
      org,
      t0,
      options.pollMs,
      () => writesDone,
      'scim',
    );
    visible.catch(() => {});

    // Users.
    const usersRun = await runClient(
      baseUrl,
      options.concurrency,
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
    );
    const userIds = usersRun.results.map(r => r.id);

    // Groups, deepest level first, so that child groups exist before their
    // parent names them as members.
    const groupIds: (string | undefined)[] = new Array(org.groups.length);
    const groupResults: ScimResult[] = [];
    const maxDepth = Math.max(...org.groups.map(g => g.depth));
    let groupsStartedAt = Infinity;
    let groupsEndedAt = 0;
    for (let depth = maxDepth; depth >= 0; depth--) {
      const level = org.groups
        .map((g, k) => ({ g, k }))
        .filter(({ g }) => g.depth === depth);
      const run = await runClient(
        baseUrl,
        options.concurrency,
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
      );
      run.results.forEach((r, j) => {
        groupIds[level[j].k] = r.id;
      });
      groupResults.push(...run.results);
      groupsStartedAt = Math.min(groupsStartedAt, run.startedAt);
      groupsEndedAt = Math.max(groupsEndedAt, run.endedAt);
    }
    writesDone = true;
    const lastWrite = groupsEndedAt - t0;

    const failed = [...usersRun.results, ...groupResults].filter(
      r => r.status !== 201,
    );
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
    async function deprovision(
      indices: number[],
      request: (id: string) => ScimRequest,
      expected: number,
      label: string,
    ) {
      const requestMs: number[] = [];
      const goneMs: number[] = [];
      for (const [n, i] of indices.entries()) {
        const user = org.users[i];
        const started = performance.now();
        const status = await scimRequest(baseUrl, request(userIds[i]!));
        requestMs.push(performance.now() - started);
        if (status !== expected) {
          throw new Error(`${label} ${user.userName}: ${status}`);
        }
        for (;;) {
          const res = await fetchRetry(
            `${baseUrl}/api/catalog/entities/by-name/user/default/${user.name}`,
            { headers: { authorization: CATALOG_AUTH } },
          );
          await res.arrayBuffer();
          if (res.status === 404) break;
          if (performance.now() - started > GONE_TIMEOUT_MS) {
            throw new Error(`${label} ${user.userName}: still in the catalog`);
          }
          await sleep(GONE_POLL_MS);
        }
        goneMs.push(performance.now() - started);
        progress(`${label}: ${n + 1}/${indices.length}`);
      }
      progress('');
      return { request: stats(requestMs), gone: stats(goneMs) };
    }
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
        levels: maxDepth + 1,
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
  const memberships = org.users.reduce((n, u) => n + u.groups.length, 0);
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
    `SCIM benchmark: ${options.users} users, ${options.groups} groups (${
      Math.max(...org.groups.map(g => g.depth)) + 1
    } levels), ${memberships} user memberships`,
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
    `Catalog API polled every ${options.pollMs} ms (visibility has that resolution); "all visible" = user and group counts, every user with a memberOf relation, every group with members with hasMember, and ${SAMPLE_USERS} users + ${SAMPLE_GROUPS} groups whose relations match exactly`,
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
    )}; catalog API calls retried after a network error: ${networkRetries}`,
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
        networkRetries,
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
