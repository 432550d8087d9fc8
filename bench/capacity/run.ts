/*
 * Capacity figures over the production shape: SCIM provisioning against
 * file-location ingestion of the same organisation, on PostgreSQL, with the
 * production-built backend (scripts/replicas.sh) as one replica and as two
 * behind the round-robin proxy; deprovisioning latency; the databases' size.
 *
 *   source scripts/env.sh
 *   yarn bench:capacity [--users 10000] [--groups 1000] [--concurrency 16]
 *                       [--deprovision 200] [--only file|scim1|scim2]
 *                       [--poll-ms 1000] [--timeout-minutes 30]
 *
 * Not a test: it prints figures, and writes them as JSON to bench/results/.
 *
 * Each phase starts the replicas afresh with `scripts/replicas.sh start`
 * (new databases, `<run id>_<plugin>`), measures, and stops them with
 * `scripts/replicas.sh stop`, which drops the databases; also on an error or
 * Ctrl-C. Ports of its own (proxy 7220, replicas 7221 and 7222; the org's
 * files on 7229) and its own state folder (.demo/capacity), so that it never
 * meets the replica tests (7200-7202, .demo/replicas) or bench:load.
 * Everything goes through the proxy, as through a load balancer.
 *
 * 1. file: one replica. The organisation (bench/lib/scimOrg.ts, the one
 *    bench:scim uses) is written as catalog YAML to
 *    bench/data/capacity-<users>u-<groups>g/, served by this script on
 *    127.0.0.1:7229, and registered with POST /api/catalog/locations as a
 *    `url` location; the catalog API is polled from the POST until every
 *    user and group, with memberships, is visible. Why `url` and not `file`:
 *    the catalog API of the production backend registers `url` locations
 *    only (Backstage's default; `file` needs code, the catalog's
 *    catalogLocationsExtensionPoint, not config). The files are the same; the
 *    catalog reads them over loopback HTTP instead of from disk.
 * 2. scim1: one replica. POST /Users for every user, then POST /Groups with
 *    their members (deepest level first), --concurrency requests in flight
 *    from a worker thread, as the `entra` IdP of app-config.yaml (a
 *    directory the config trusts) with the token replicas.sh generated; the
 *    catalog API is polled from the first request until all is visible. A
 *    request answered 502 or 503, or not at all, is retried as an IdP
 *    would (RETRY below), and counted.
 * 3. scim2: the same with two replicas.
 * 4. Deprovisioning, on the last SCIM phase run: DELETE /Users/{id} for
 *    --deprovision users, one at a time, each timed until
 *    GET /api/catalog/entities/by-name/user/default/<name> answers 404
 *    (polled every 20 ms).
 * 5. Database sizing at the end of each phase (before deprovisioning), once
 *    the identity index holds the organisation: rows and bytes of each table
 *    of each of the run's databases (./databaseSizing.ts).
 *
 * The replicas run app-config.yaml, app-config.production.yaml, replicas.sh's
 * test-only file and one more, written by this script to
 * bench/data/capacity/app-config.capacity.yaml. BENCH ONLY: a static token
 * for the catalog API (register the location, read), the org server's
 * address for the URL reader (backend.reading.allow), and the production
 * defaults back for what the test-only file shortens (SCIM reconciliation
 * every 30 minutes, identity index refresh timeout 2 minutes, low-severity
 * audit events at debug).
 *
 * Environment: REPLICAS_SKIP_BUILD=1 reuses the last `yarn build:backend`
 * (packages/backend/dist, copied once to .demo/capacity/bundle so that a
 * rebuild by someone else meanwhile changes nothing); without it the first
 * phase builds and the others reuse that build. BENCH_CAPACITY_PORTS ("7221 7222"),
 * BENCH_CAPACITY_PROXY_PORT (7220), BENCH_CAPACITY_ORG_PORT (7229).
 */
import { readBenchArgs } from '../lib/benchArgs';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { basename, join, resolve } from 'node:path';
import { ms, printTable } from '../identity/stats';
import {
  CatalogApi,
  catalogNetworkRetries,
  countEntities,
  Milestones,
  progress,
  sleep,
  VISIBILITY_RULE,
  waitVisible,
} from '../lib/catalogVisibility';
import {
  cpuWindow,
  loadAverage,
  machineInfo,
  otherWork,
  otherWorkKinds,
  watchMachine,
} from '../lib/machine';
import {
  onInterrupt,
  readReplicasState,
  replicas,
  ReplicasSettings,
  rssMb,
} from '../lib/replicas';
import {
  levels,
  makeOrg,
  memberships as countMemberships,
  Org,
  spread,
  writeOrgYaml,
} from '../lib/scimOrg';
import {
  measureDeprovision,
  provisionOrg,
  ScimApi,
  ScimResult,
  stats,
} from '../lib/scimProvisioning';
import {
  DatabaseSize,
  TableSize,
  measureDatabases,
  serverInfo,
  tableBytesByKind,
  totals,
} from './databaseSizing';

const ROOT = resolve(__dirname, '../..');
/** Command lines of this benchmark and of its replicas (otherWork). */
const SELF = ['bench/capacity', '.demo/capacity'];
const RESULTS = join(ROOT, 'bench/results');
const DATA = join(ROOT, 'bench/data/capacity');
const EXTRA_CONFIG = join(DATA, 'app-config.capacity.yaml');
const STATE_DIR = join(ROOT, '.demo/capacity');
/**
 * The build every phase runs (REPLICAS_BUNDLE_DIR): a copy of its own, so
 * that others rebuilding packages/backend/dist meanwhile change nothing.
 */
const BUNDLE_DIR = join(STATE_DIR, 'bundle');
const PORTS = (process.env.BENCH_CAPACITY_PORTS ?? '7221 7222')
  .split(/\s+/)
  .filter(Boolean);
const PROXY_PORT = process.env.BENCH_CAPACITY_PROXY_PORT ?? '7220';
const ORG_PORT = Number(process.env.BENCH_CAPACITY_ORG_PORT ?? 7229);
/** replicas.sh start: the build (when not skipped) and readiness. */
const START_TIMEOUT_MS = 20 * 60_000;
const STOP_TIMEOUT_MS = 3 * 60_000;
/**
 * SCIM requests answered 502 or 503, or not at all, are retried as an IdP
 * retries them (Entra ID and Okta retry on 5xx). The proxy answers 502 to a
 * POST whose upstream connection was reset: a keep-alive connection the
 * replica closed (Node's 5 s keepAliveTimeout) as the proxy reused it.
 */
const RETRY = { statuses: [502, 503], max: 5, delayMs: 2000 };
/** Before t0: the startup reconciliation runs 5 s after start. */
const SETTLE_MS = 6000;
const GONE_POLL_MS = 20;
const GONE_TIMEOUT_MS = 120_000;
/** Sizing waits at most this long for the identity index to settle. */
const INDEX_SETTLE_TIMEOUT_MS = 5 * 60_000;

type PhaseName = 'file' | 'scim1' | 'scim2';
const PHASES: PhaseName[] = ['file', 'scim1', 'scim2'];
const PHASE_LABEL: Record<PhaseName, string> = {
  file: 'file location, 1 replica',
  scim1: 'SCIM, 1 replica',
  scim2: 'SCIM, 2 replicas',
};

// ---- arguments -------------------------------------------------------------

interface Options {
  users: number;
  groups: number;
  concurrency: number;
  deprovision: number;
  pollMs: number;
  timeoutMinutes: number;
  only?: PhaseName;
}

function parseArgs(argv: string[]): Options {
  const args = readBenchArgs(argv, 'bench/capacity/run.ts', [
    'users',
    'groups',
    'concurrency',
    'deprovision',
    'poll-ms',
    'timeout-minutes',
    'only',
  ]);
  const options: Options = {
    users: args.whole('users', 10000),
    groups: args.whole('groups', 1000),
    concurrency: Math.max(1, args.whole('concurrency', 16)),
    deprovision: args.whole('deprovision', 200),
    pollMs: Math.max(50, args.whole('poll-ms', 1000)),
    timeoutMinutes: Math.max(1, args.whole('timeout-minutes', 30)),
    only: args.choice('only', PHASES),
  };
  if (options.users < 1 || options.groups < 1) {
    throw new Error('--users and --groups must be at least 1');
  }
  return options;
}

// ---- helpers -----------------------------------------------------------------

const log = (message: string) =>
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const sec = (msec: number | undefined) =>
  msec === undefined ? 'n/a' : `${(msec / 1000).toFixed(1)} s`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
const perUnit = (n: number, d: number, digits = 2) =>
  d ? (n / d).toFixed(digits) : 'n/a';

/** BENCH ONLY: what this benchmark needs beyond the documented config. */
function writeExtraConfig(token: string) {
  mkdirSync(DATA, { recursive: true });
  writeFileSync(
    EXTRA_CONFIG,
    `# BENCH ONLY. Written by bench/capacity/run.ts for one run; never deploy it.
# It is read after app-config.yaml, app-config.production.yaml and
# scripts/replicas.sh's test-only file.
backend:
  auth:
    externalAccess:
      # The benchmark registers the organisation's location and reads the
      # catalog with this token: the catalog plugin only. (It replaces the
      # test-only file's token list, which this run does not use.)
      - type: static
        options:
          token: ${token}
          subject: capacity-bench
        accessRestrictions:
          - plugin: catalog
  reading:
    allow:
      # The organisation's YAML, served by the benchmark (a url location:
      # the catalog API registers no file location).
      - host: 127.0.0.1:${ORG_PORT}
  auditor:
    # Backstage's default (the test-only file writes them at info).
    severityLogLevelMappings:
      low: debug
# The production defaults back (the test-only file shortens them for the
# replica tests; a full reconciliation every 10 s would compete with the
# provisioning measured here).
scim:
  reconciliation:
    schedule:
      frequency: { minutes: 30 }
      timeout: { minutes: 10 }
      initialDelay: { seconds: 5 }
identity:
  refresh:
    timeout: { minutes: 2 }
`,
  );
  chmodSync(EXTRA_CONFIG, 0o600);
}

/** Serves the organisation's YAML files read-only on loopback. */
function serveOrg(dir: string, port: number) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const name = basename(decodeURIComponent(req.url ?? '/').split('?')[0]);
    if (req.method !== 'GET' || !/^[a-z0-9-]+\.yaml$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(dir, name));
      res.writeHead(200, { 'content-type': 'application/yaml' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise<{ close: () => void; requests: () => number }>(
    (resolvePromise, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () =>
        resolvePromise({
          close: () => server.close(),
          requests: () => requests,
        }),
      );
    },
  );
}

function retryCounts(results: ScimResult[]) {
  const byStatus: Record<string, number> = {};
  let requests = 0;
  let recovered = 0;
  for (const r of results) {
    if (r.retried.length) requests++;
    if (r.recovered) recovered++;
    for (const st of r.retried) byStatus[st] = (byStatus[st] ?? 0) + 1;
  }
  return { requests, byStatus, recovered };
}

/** The replicas' logs: errors logged, 5xx answered, as replicas.sh test counts them. */
function logProblems(replicaCount: number) {
  let errors = 0;
  let status5xx = 0;
  let stitch = 0;
  const examples: string[] = [];
  for (let n = 1; n <= replicaCount; n++) {
    let text = '';
    try {
      text = readFileSync(join(STATE_DIR, `logs/replica-${n}.log`), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (line.includes('/.backstage/health/v1/readiness')) continue;
      if (line.includes('"message":"Failed to stitch')) {
        stitch++;
      } else if (line.includes('"level":"error"')) {
        errors++;
        if (examples.length < 3) examples.push(line.slice(0, 300));
      } else if (/"status":5\d\d/.test(line)) {
        status5xx++;
        if (examples.length < 3) examples.push(line.slice(0, 300));
      }
    }
  }
  return { errors, status5xx, stitch, examples };
}

/**
 * With REPLICAS_SKIP_BUILD=1: packages/backend/dist's last build copied to
 * BUNDLE_DIR, once both archives read back whole (someone may be building).
 */
async function copyBuild() {
  const dist = join(ROOT, 'packages/backend/dist');
  for (let attempt = 1; ; attempt++) {
    try {
      mkdirSync(BUNDLE_DIR, { recursive: true });
      for (const file of ['skeleton.tar.gz', 'bundle.tar.gz']) {
        copyFileSync(join(dist, file), join(BUNDLE_DIR, file));
      }
      execFileSync('tar', ['tzf', join(BUNDLE_DIR, 'skeleton.tar.gz')], {
        stdio: 'ignore',
      });
      const listing = execFileSync(
        'tar',
        ['tzf', join(BUNDLE_DIR, 'bundle.tar.gz')],
        { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
      );
      // A build that ran beside another can pack the old archives instead.
      if (!listing.includes('packages/backend/dist/index.cjs.js')) {
        throw new Error(
          'bundle.tar.gz has no packages/backend/dist/index.cjs.js',
        );
      }
      return statSync(join(dist, 'bundle.tar.gz')).mtime.toISOString();
    } catch (error) {
      if (attempt >= 12) {
        throw new Error(`No whole build in ${dist}: ${error}`);
      }
      log(
        `packages/backend/dist holds no whole build (a build running?): ${error}; again in 10 s`,
      );
      await sleep(10_000);
    }
  }
}

function gitInfo() {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    const changed = git('status', '--porcelain', '--', 'plugins', 'packages')
      .split('\n')
      .filter(Boolean).length;
    return `${git('log', '-1', '--format=%h %cI')}${
      changed ? `, ${changed} changed files under plugins/ and packages/` : ''
    }`;
  } catch {
    return 'unknown';
  }
}

// ---- phases ------------------------------------------------------------------

type Stats = ReturnType<typeof stats>;

interface ScimFigures {
  users: { count: number; seconds: number; perSecond: number; latency: Stats };
  groups: {
    count: number;
    levels: number;
    seconds: number;
    perSecond: number;
    latency: Stats;
  };
  /** Users and groups created, per second, first request to last response. */
  httpEntitiesPerSecond: number;
  lastWriteMs: number;
  /** Requests retried (RETRY), the statuses that made them retry, 409s resolved. */
  retries: {
    requests: number;
    byStatus: Record<string, number>;
    recovered: number;
  };
}

interface PhaseResult {
  phase: PhaseName;
  label: string;
  replicas: number;
  ports: string;
  startSeconds: number;
  dbPrefix: string;
  visibility: Milestones;
  /** CPU seconds from t0 until all was visible. */
  cpu: ReturnType<ReturnType<typeof cpuWindow>['stop']>;
  /** Users the catalog showed when the last SCIM response came. */
  usersVisibleAtLastResponse?: number;
  /**
   * From the last SCIM response until all was visible, when the catalog
   * (and the identity index) worked with no SCIM request to answer: the
   * entities it made visible then, and the CPU seconds it took.
   */
  afterWrites?: {
    entities: number;
    cpu: ReturnType<ReturnType<typeof cpuWindow>['stop']>;
  };
  entitiesPerSecond: number;
  registerMs?: number;
  locationRequests?: number;
  scim?: ScimFigures;
  sizing?: DatabaseSize[];
  sizingError?: string;
  indexSettleSeconds?: number;
  deprovision?: { request: Stats; gone: Stats };
  replicaMemoryMb: (number | undefined)[];
  logs: ReturnType<typeof logProblems>;
  machine: { maxLoad1: number; otherWork: string[] };
}

interface Context {
  options: Options;
  org: Org;
  token: string;
  orgServer?: { close: () => void; requests: () => number };
  /** Whether the next start may reuse the build. */
  built: boolean;
  /** What is running, for the cleanup. */
  running?: ReplicasSettings;
}

function stopReplicas(ctx: Context) {
  if (!ctx.running) return;
  const settings = ctx.running;
  ctx.running = undefined;
  replicas('stop', settings, { timeoutMs: STOP_TIMEOUT_MS });
}

/** Waits until the identity index holds the org and stops changing. */
async function waitIndexSettled(prefix: string, org: Org) {
  const started = Date.now();
  let last = '';
  for (;;) {
    const sizes = await measureDatabases(prefix).catch(() => undefined);
    const identity = sizes?.find(d => d.plugin === 'identity');
    const count = (table: string) =>
      identity?.tables.find(t => t.table === table)?.rows ?? 0;
    const now = identity?.tables.map(t => `${t.table}:${t.rows}`).join(',');
    if (
      count('identity_users') >= org.users.length &&
      count('identity_groups') >= org.groups.length &&
      now === last
    ) {
      return { sizes: sizes!, seconds: (Date.now() - started) / 1000 };
    }
    last = now ?? '';
    if (Date.now() - started > INDEX_SETTLE_TIMEOUT_MS) {
      return { sizes, seconds: (Date.now() - started) / 1000, timedOut: true };
    }
    await sleep(5000);
  }
}

async function runPhase(
  phase: PhaseName,
  ctx: Context,
  deprovision: boolean,
): Promise<PhaseResult> {
  const { options, org } = ctx;
  const replicaCount = phase === 'scim2' ? 2 : 1;
  if (PORTS.length < replicaCount) {
    throw new Error(`BENCH_CAPACITY_PORTS names fewer than ${replicaCount}`);
  }
  const settings: ReplicasSettings = {
    ports: PORTS.slice(0, replicaCount).join(' '),
    proxyPort: PROXY_PORT,
    stateDir: STATE_DIR,
    extraConfig: EXTRA_CONFIG,
  };
  log(
    `${PHASE_LABEL[phase]}: starting the replicas (ports ${settings.ports}, proxy ${PROXY_PORT})`,
  );
  const startedAt = Date.now();
  ctx.running = settings;
  replicas('start', settings, {
    timeoutMs: START_TIMEOUT_MS,
    env: {
      REPLICAS_BUNDLE_DIR: BUNDLE_DIR,
      REPLICAS_SKIP_BUILD: ctx.built ? '1' : '0',
    },
  });
  ctx.built = true;
  const startSeconds = (Date.now() - startedAt) / 1000;
  const state = readReplicasState(STATE_DIR);
  const pids = state.REPLICA_PIDS.split(/\s+/).filter(Boolean).map(Number);
  const cpuOf = () =>
    cpuWindow({
      replicas: pids,
      proxy: [Number(state.PROXY_PID)].filter(Boolean),
    });
  const proxy = state.PROXY_URL;
  const catalog: CatalogApi = {
    baseUrl: proxy,
    authorization: `Bearer ${ctx.token}`,
  };
  const scim: ScimApi = {
    baseUrl: `${proxy}/api/scim/v2`,
    token: state.SCIM_ENTRA_TOKEN,
  };
  const watcher = watchMachine(SELF);
  const entities = org.users.length + org.groups.length;
  const timeoutMs = options.timeoutMinutes * 60_000;
  const result: Partial<PhaseResult> = {
    phase,
    label: PHASE_LABEL[phase],
    replicas: replicaCount,
    ports: settings.ports,
    startSeconds,
    dbPrefix: state.DB_PREFIX,
  };
  /** The SCIM ids of the users, for deprovisioning. */
  let userIds: (string | undefined)[] = [];
  try {
    await sleep(SETTLE_MS);

    if (phase === 'file') {
      const cpu = cpuOf();
      const t0 = Date.now();
      const res = await fetch(`${proxy}/api/catalog/locations`, {
        method: 'POST',
        headers: {
          authorization: catalog.authorization,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          type: 'url',
          target: `http://127.0.0.1:${ORG_PORT}/all.yaml`,
        }),
        signal: AbortSignal.timeout(60_000),
      });
      if (res.status !== 201) {
        throw new Error(
          `Registering the location: ${res.status} ${await res.text()}`,
        );
      }
      result.registerMs = Date.now() - t0;
      log(`file: location registered; waiting until all is visible`);
      result.visibility = await waitVisible({
        api: catalog,
        org,
        t0,
        pollMs: options.pollMs,
        timeoutMs,
        ready: () => true,
        label: 'file',
      });
      result.cpu = cpu.stop();
      result.locationRequests = ctx.orgServer?.requests();
    } else {
      const cpu = cpuOf();
      const t0 = Date.now();
      let writesDone = false;
      const visible = waitVisible({
        api: catalog,
        org,
        t0,
        pollMs: options.pollMs,
        timeoutMs,
        ready: () => writesDone,
        label: phase,
      });
      visible.catch(() => {});
      log(
        `${phase}: provisioning ${org.users.length} users and ${org.groups.length} groups, ${options.concurrency} requests in flight`,
      );
      const p = await provisionOrg(scim, options.concurrency, org, RETRY);
      writesDone = true;
      const afterCpu = cpuOf();
      result.usersVisibleAtLastResponse = await countEntities(
        catalog,
        'kind=user',
      ).catch(() => undefined);
      const groupsAtLastResponse = await countEntities(
        catalog,
        'kind=group',
      ).catch(() => undefined);
      if (p.failed.length) {
        const byStatus = new Map<number, number>();
        p.failed.forEach(f =>
          byStatus.set(f.status, (byStatus.get(f.status) ?? 0) + 1),
        );
        throw new Error(
          `${p.failed.length} SCIM requests failed (${[...byStatus]
            .map(([s, n]) => `${s || 'network'}: ${n}`)
            .join(', ')}), e.g. ${p.failed[0].status} ${
            p.failed[0].error
          }; the catalog would never show them all`,
        );
      }
      const seconds = (a: number, b: number) => (b - a) / 1000;
      const usersS = seconds(p.users.startedAt, p.users.endedAt);
      const groupsS = seconds(p.groupsStartedAt, p.groupsEndedAt);
      result.scim = {
        users: {
          count: p.users.results.length,
          seconds: usersS,
          perSecond: p.users.results.length / usersS,
          latency: stats(p.users.results.map(r => r.ms)),
        },
        groups: {
          count: p.groups.length,
          levels: p.levels,
          seconds: groupsS,
          perSecond: p.groups.length / groupsS,
          latency: stats(p.groups.map(r => r.ms)),
        },
        httpEntitiesPerSecond:
          entities / seconds(p.users.startedAt, p.groupsEndedAt),
        lastWriteMs: p.groupsEndedAt - t0,
        retries: retryCounts([...p.users.results, ...p.groups]),
      };
      log(
        `${phase}: every SCIM request answered after ${sec(
          result.scim.lastWriteMs,
        )}; waiting until all is visible`,
      );
      result.visibility = await visible;
      result.cpu = cpu.stop();
      const after = afterCpu.stop();
      if (
        result.usersVisibleAtLastResponse !== undefined &&
        groupsAtLastResponse !== undefined
      ) {
        result.afterWrites = {
          entities:
            entities - result.usersVisibleAtLastResponse - groupsAtLastResponse,
          cpu: after,
        };
      }
      userIds = p.userIds;
    }
    result.entitiesPerSecond =
      (entities * 1000) / (result.visibility!.allVisible ?? NaN);
    log(
      `${phase}: all visible after ${sec(
        result.visibility!.allVisible,
      )}; sizing the databases once the identity index has settled`,
    );

    // Database sizing, before any deprovisioning.
    try {
      const settled = await waitIndexSettled(state.DB_PREFIX, org);
      result.indexSettleSeconds = settled.seconds;
      result.sizing = settled.sizes;
      if ((settled as { timedOut?: boolean }).timedOut) {
        result.sizingError = `the identity index had not settled after ${
          INDEX_SETTLE_TIMEOUT_MS / 60_000
        } minutes; sized as it was`;
      }
    } catch (error) {
      result.sizingError = String(error);
    }

    if (deprovision && userIds.length && options.deprovision > 0) {
      log(
        `${phase}: deprovisioning ${Math.min(
          options.deprovision,
          org.users.length,
        )} users, one at a time`,
      );
      result.deprovision = await measureDeprovision({
        scim,
        catalog,
        org,
        indices: spread(org.users.length, options.deprovision),
        userIds,
        request: id => ({ method: 'DELETE', path: `/Users/${id}` }),
        expected: 204,
        label: 'DELETE',
        pollMs: GONE_POLL_MS,
        timeoutMs: GONE_TIMEOUT_MS,
      });
    }
    result.replicaMemoryMb = pids.map(rssMb);
    result.machine = watcher.stop();
    return result as PhaseResult;
  } finally {
    watcher.stop();
    progress('');
    log(`${phase}: stopping the replicas (their databases are dropped)`);
    stopReplicas(ctx);
    // After the stop: the logs are complete, and kept until the next start.
    result.logs = logProblems(replicaCount);
  }
}

// ---- report --------------------------------------------------------------------

function printPhase(r: PhaseResult, org: Org) {
  console.log(
    `\n${r.label}: ${
      r.phase === 'file'
        ? 'POST /api/catalog/locations (url location, the YAML served on loopback)'
        : `POST /Users then POST /Groups with members through the proxy`
    }; replicas started in ${r.startSeconds.toFixed(0)} s (ports ${
      r.ports
    }); load average (1 min) at most ${r.machine.maxLoad1.toFixed(
      2,
    )} during the phase; other work seen: ${
      r.machine.otherWork.length ? r.machine.otherWork.join(', ') : 'none'
    }`,
  );
  const v = r.visibility;
  const rows: string[][] = [
    ['all users visible', sec(v.usersVisible)],
    ['all groups visible', sec(v.groupsVisible)],
    ['all visible, with memberships', sec(v.allVisible)],
    [
      'catalog API polls (failed and made again)',
      `${v.polls} (${v.failedPolls}${
        v.firstFailure ? `, first: ${v.firstFailure.slice(0, 120)}` : ''
      })`,
    ],
    [
      'entities visible per second',
      `${r.entitiesPerSecond.toFixed(1)} (${
        org.users.length + org.groups.length
      } / all visible)`,
    ],
  ];
  if (r.registerMs !== undefined) {
    rows.unshift(['POST /api/catalog/locations answered', ms(r.registerMs)]);
    rows.push([
      'requests for the YAML served',
      String(r.locationRequests ?? 'n/a'),
    ]);
  }
  if (r.scim) {
    rows.unshift(
      [
        'POST /Users',
        `${r.scim.users.count} in ${sec(
          r.scim.users.seconds * 1000,
        )}, ${r.scim.users.perSecond.toFixed(1)}/s, p50 ${ms(
          r.scim.users.latency.p50,
        )}, p95 ${ms(r.scim.users.latency.p95)}, max ${ms(
          r.scim.users.latency.max,
        )}`,
      ],
      [
        `POST /Groups with members (${r.scim.groups.levels} levels)`,
        `${r.scim.groups.count} in ${sec(
          r.scim.groups.seconds * 1000,
        )}, ${r.scim.groups.perSecond.toFixed(1)}/s, p50 ${ms(
          r.scim.groups.latency.p50,
        )}, p95 ${ms(r.scim.groups.latency.p95)}, max ${ms(
          r.scim.groups.latency.max,
        )}`,
      ],
      [
        'SCIM requests retried (502/503 or no answer, 2 s apart, at most 5 times)',
        r.scim.retries.requests
          ? `${r.scim.retries.requests} (${Object.entries(
              r.scim.retries.byStatus,
            )
              .map(([k, n]) => `${k === '0' ? 'no answer' : k}: ${n}`)
              .join(', ')}); ${
              r.scim.retries.recovered
            } POSTs answered 409 on retry, found by filter`
          : '0',
      ],
      [
        'provisioned per second (HTTP)',
        `${r.scim.httpEntitiesPerSecond.toFixed(
          1,
        )} users and groups, first request to last response`,
      ],
      [
        'last SCIM response',
        `${sec(r.scim.lastWriteMs)}; the catalog showed ${
          r.usersVisibleAtLastResponse ?? 'n/a'
        } of ${org.users.length} users then`,
      ],
    );
  }
  const c = r.cpu;
  rows.push(
    [
      'CPU seconds, t0 to all visible',
      `replicas ${c.byProcess.replicas.toFixed(
        1,
      )}, proxy ${c.byProcess.proxy.toFixed(
        1,
      )}, this script (client, polling) ${c.client.toFixed(
        1,
      )}, rest of the machine (PostgreSQL, ...) ${c.rest.toFixed(
        1,
      )}; machine ${c.machine.toFixed(1)} of ${
        machineInfo().cpus
      } CPUs x ${c.seconds.toFixed(1)} s (${(
        (100 * c.machine) /
        (machineInfo().cpus * c.seconds)
      ).toFixed(0)}% busy)`,
    ],
    [
      'replicas resident memory at end',
      r.replicaMemoryMb
        .map(m => (m === undefined ? 'gone' : `${m.toFixed(0)} MB`))
        .join(', '),
    ],
    [
      'replica logs',
      `${r.logs.errors} errors logged, ${r.logs.status5xx} 5xx answered, ${r.logs.stitch} 'Failed to stitch'`,
    ],
  );
  printTable(['measure (seconds from t0)', 'value'], rows);
  if (r.logs.examples.length) {
    console.log(`First problems logged: ${r.logs.examples.join('\n  ')}`);
  }
  if (r.sizing) {
    console.log(
      `Databases at the end of the phase (${
        r.dbPrefix
      }*), identity index settled after ${r.indexSettleSeconds?.toFixed(0)} s${
        r.sizingError ? `; ${r.sizingError}` : ''
      }`,
    );
    printDatabases(r.sizing, org);
  } else if (r.sizingError) {
    console.log(`Database sizing failed: ${r.sizingError}`);
  }
  if (r.deprovision) {
    console.log(
      `Deprovisioning, one user at a time: DELETE /Users/{id} sent until GET /api/catalog/entities/by-name/user/default/<name> is 404 (polled every ${GONE_POLL_MS} ms)`,
    );
    const d = r.deprovision;
    printTable(
      ['operation', 'users', 'p50', 'p95', 'max', 'SCIM response p50'],
      [
        [
          'DELETE /Users/{id}',
          String(d.gone.count),
          ms(d.gone.p50),
          ms(d.gone.p95),
          ms(d.gone.max),
          ms(d.request.p50),
        ],
      ],
    );
  }
}

function printDatabases(sizing: DatabaseSize[], org: Org) {
  const users = org.users.length;
  const groups = org.groups.length;
  const rows = sizing.map(db => {
    const t = totals(db);
    return [
      db.plugin,
      String(db.tables.length),
      String(t.rows),
      String(t.deadRows),
      mb(t.bytes),
      mb(db.databaseBytes),
      perUnit(t.rowsByKind.user, users),
      perUnit(t.rowsByKind.group, groups),
      kb(t.bytesByKind.user / users),
      kb(t.bytesByKind.group / groups),
    ];
  });
  const all = sizing.map(totals);
  const sum = (f: (t: ReturnType<typeof totals>) => number) =>
    all.reduce((s, t) => s + f(t), 0);
  rows.push([
    'all',
    String(sizing.reduce((s, d) => s + d.tables.length, 0)),
    String(sum(t => t.rows)),
    String(sum(t => t.deadRows)),
    mb(sum(t => t.bytes)),
    mb(sizing.reduce((s, d) => s + d.databaseBytes, 0)),
    perUnit(
      sum(t => t.rowsByKind.user),
      users,
    ),
    perUnit(
      sum(t => t.rowsByKind.group),
      groups,
    ),
    kb(sum(t => t.bytesByKind.user) / users),
    kb(sum(t => t.bytesByKind.group) / groups),
  ]);
  printTable(
    [
      'database',
      'tables',
      'rows',
      'dead rows (est.)',
      'tables incl. indexes',
      'pg_database_size',
      'rows/user',
      'rows/group',
      'bytes/user',
      'bytes/group',
    ],
    rows,
  );
}

/**
 * Table by table: the tables holding users' or groups' rows, and any other
 * of 1 MB or more; the rest (migrations, locks, keys, the scheduler's
 * tasks, empty tables) summed per database.
 */
function printTables(sizing: DatabaseSize[], org: Org) {
  const users = org.users.length;
  const groups = org.groups.length;
  const rows: string[][] = [];
  for (const db of sizing) {
    const rest = { tables: 0, rows: 0, bytes: 0 };
    for (const t of [...db.tables].sort((a, b) => b.bytes - a.bytes)) {
      if (!t.rowsByKind.user && !t.rowsByKind.group && t.bytes < 2 ** 20) {
        rest.tables++;
        rest.rows += t.rows;
        rest.bytes += t.bytes;
        continue;
      }
      const b = tableBytesByKind(t);
      rows.push([
        `${db.plugin}.${t.table}`,
        String(t.rows),
        mb(t.bytes),
        `${t.rowsByKind.user} / ${t.rowsByKind.group} / ${t.rowsByKind.other}`,
        perUnit(t.rowsByKind.user, users),
        perUnit(t.rowsByKind.group, groups),
        kb(b.user / users),
        kb(b.group / groups),
        t.rule,
      ]);
    }
    if (rest.tables) {
      rows.push([
        `${db.plugin}: ${rest.tables} other tables`,
        String(rest.rows),
        mb(rest.bytes),
        `0 / 0 / ${rest.rows}`,
        '',
        '',
        '',
        '',
        '',
      ]);
    }
  }
  printTable(
    [
      'table',
      'rows',
      'size',
      'user / group / other rows',
      'rows/user',
      'rows/group',
      'bytes/user',
      'bytes/group',
      'attributed by',
    ],
    rows,
  );
}

/**
 * Rows written in each phase (its databases are new): inserted / updated /
 * deleted, for the tables with at least one write per ten entities in some
 * phase, and all tables. The work behind "visible": a catalog entity
 * processed or stitched again is a refresh_state or final_entities update.
 */
function printWrites(results: PhaseResult[], org: Org) {
  const sized = results.filter(r => r.sizing);
  if (!sized.length) return;
  const entities = org.users.length + org.groups.length;
  const key = (db: DatabaseSize, t: TableSize) => `${db.plugin}.${t.table}`;
  const total = (w: TableSize['writes']) => w.inserted + w.updated + w.deleted;
  const names = new Set<string>();
  for (const r of sized) {
    for (const db of r.sizing!) {
      for (const t of db.tables) {
        if (total(t.writes) * 10 >= entities) names.add(key(db, t));
      }
    }
  }
  const cell = (w?: TableSize['writes']) =>
    w
      ? `${w.inserted} / ${w.updated} / ${w.deleted} (${(
          total(w) / entities
        ).toFixed(2)})`
      : '';
  const find = (r: PhaseResult, name: string) =>
    r
      .sizing!.flatMap(db => db.tables.map(t => [key(db, t), t] as const))
      .find(([k]) => k === name)?.[1].writes;
  const sum = (r: PhaseResult) =>
    r
      .sizing!.flatMap(db => db.tables)
      .reduce(
        (w, t) => ({
          inserted: w.inserted + t.writes.inserted,
          updated: w.updated + t.writes.updated,
          deleted: w.deleted + t.writes.deleted,
        }),
        { inserted: 0, updated: 0, deleted: 0 },
      );
  console.log(
    `\nRows written per phase, until sized: inserted / updated / deleted (per entity), from PostgreSQL's statistics counters of the phase's new databases`,
  );
  printTable(
    ['table', ...sized.map(r => r.label)],
    [
      ...[...names]
        .sort()
        .map(name => [name, ...sized.map(r => cell(find(r, name)))]),
      ['all tables', ...sized.map(r => cell(sum(r)))],
    ],
  );
}

/** All databases: per user, per group, and what is nobody's. */
function sizingRule(sizing: DatabaseSize[], org: Org) {
  const all = sizing.map(totals);
  const sum = (f: (t: ReturnType<typeof totals>) => number) =>
    all.reduce((n, t) => n + f(t), 0);
  return {
    rowsPerUser: sum(t => t.rowsByKind.user) / org.users.length,
    rowsPerGroup: sum(t => t.rowsByKind.group) / org.groups.length,
    bytesPerUser: sum(t => t.bytesByKind.user) / org.users.length,
    bytesPerGroup: sum(t => t.bytesByKind.group) / org.groups.length,
    otherBytes: sum(t => t.bytesByKind.other),
    tableBytes: sum(t => t.bytes),
    databaseBytes: sizing.reduce((n, d) => n + d.databaseBytes, 0),
  };
}

// ---- main --------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(RESULTS, { recursive: true });
  const runAt = new Date().toISOString();
  const org = makeOrg(options.users, options.groups);
  const memberships = countMemberships(org);
  const phases = options.only ? [options.only] : PHASES;
  const lastScim = [...phases].reverse().find(p => p !== 'file');

  const machine = machineInfo();
  const pg = await serverInfo();
  const skipBuild = process.env.REPLICAS_SKIP_BUILD === '1';
  const build = skipBuild
    ? `the build of ${await copyBuild()} (REPLICAS_SKIP_BUILD=1), copied to ${BUNDLE_DIR.slice(
        ROOT.length + 1,
      )}`
    : 'built by the first phase (yarn build:backend)';
  const code = gitInfo();
  const atStart = { load: loadAverage(), otherWork: otherWork(SELF) };
  console.log(
    `Capacity benchmark (bench/capacity), ${runAt}: ${options.users} users, ${
      options.groups
    } groups (${levels(org)} levels), ${memberships} user memberships`,
  );
  printTable(
    ['machine', ''],
    [
      ['CPU', machine.cpu],
      ['memory', machine.memory],
      ['OS', machine.os],
      ['Node.js', machine.node],
      ['Backstage', machine.backstage],
      ['code', code],
      ['backend build', build],
      [
        'PostgreSQL',
        `${pg.version} on 127.0.0.1:5432, same machine; autovacuum ${pg.autovacuum}`,
      ],
      ['load average at start (1/5/15 min)', atStart.load],
      [
        'CI run going at start',
        otherWorkKinds(atStart.otherWork).includes('CI run') ? 'yes' : 'no',
      ],
      [
        'other work at start',
        atStart.otherWork.length
          ? otherWorkKinds(atStart.otherWork).join(', ')
          : 'none',
      ],
    ],
  );
  console.log(
    `Setup: the production build (scripts/replicas.sh, NODE_ENV=production, app-config.yaml + app-config.production.yaml + its test-only file + ${EXTRA_CONFIG.slice(
      ROOT.length + 1,
    )}), fresh databases per phase, everything through the round-robin proxy; phases: ${phases.join(
      ', ',
    )}; SCIM as the entra IdP, ${
      options.concurrency
    } requests in flight from a worker thread, retried on 502/503 as an IdP would (counted); catalog.processingInterval Backstage's default (100-150 s)`,
  );
  console.log(
    `Catalog API polled every ${options.pollMs} ms (visibility has that resolution); ${VISIBILITY_RULE}; each wait bounded at ${options.timeoutMinutes} minutes`,
  );

  const ctx: Context = {
    options,
    org,
    token: randomBytes(24).toString('hex'),
    built: skipBuild,
  };
  writeExtraConfig(ctx.token);
  const removeInterrupt = onInterrupt(() => {
    ctx.orgServer?.close();
    stopReplicas(ctx);
  });

  const results: PhaseResult[] = [];
  let failure: unknown;
  try {
    if (phases.includes('file')) {
      const dir = join(
        ROOT,
        `bench/data/capacity-${options.users}u-${options.groups}g`,
      );
      writeOrgYaml(org, dir);
      ctx.orgServer = await serveOrg(dir, ORG_PORT);
    }
    for (const phase of phases) {
      const r = await runPhase(phase, ctx, phase === lastScim);
      results.push(r);
      printPhase(r, org);
    }
  } catch (error) {
    failure = error;
  } finally {
    ctx.orgServer?.close();
    stopReplicas(ctx);
    removeInterrupt();
  }

  // ---- summary ---------------------------------------------------------------
  const file = results.find(r => r.phase === 'file');
  if (results.length) {
    console.log(
      `\nSummary: ${options.users} users + ${options.groups} groups = ${
        options.users + options.groups
      } entities, time from the first request (POST of the location, first POST /Users) until all are visible with memberships`,
    );
    printTable(
      [
        'path',
        'provisioned/s (HTTP)',
        'all visible (s)',
        'entities/s',
        'machine CPU s (replicas / PostgreSQL and rest)',
        'vs file',
      ],
      results.map(r => [
        r.label,
        r.scim ? r.scim.httpEntitiesPerSecond.toFixed(1) : '',
        ((r.visibility.allVisible ?? NaN) / 1000).toFixed(1),
        r.entitiesPerSecond.toFixed(1),
        `${r.cpu.machine.toFixed(0)} (${r.cpu.byProcess.replicas.toFixed(
          0,
        )} / ${r.cpu.rest.toFixed(0)})`,
        file?.visibility.allVisible && r.visibility.allVisible
          ? r === file
            ? '1.00x (baseline)'
            : `${(file.visibility.allVisible / r.visibility.allVisible).toFixed(
                2,
              )}x`
          : 'n/a',
      ]),
    );
    printCpuFloor(results, options.users + options.groups, file);
    const last = [...results].reverse().find(r => r.scim && r.sizing);
    if (last?.sizing) {
      console.log(
        `\nDatabase sizing, ${last.label}, table by table (the tables with users' or groups' rows, and others of 1 MB or more; a table's bytes shared out to users and groups by its rows; bench/capacity/databaseSizing.ts)`,
      );
      printTables(last.sizing, org);
    }
    printWrites(results, org);
    for (const r of [last, file]) {
      if (!r?.sizing) continue;
      const k = sizingRule(r.sizing, org);
      console.log(
        `Sizing after ${r.label}: ${kb(
          k.bytesPerUser,
        )} and ${k.rowsPerUser.toFixed(1)} rows per user, ${kb(
          k.bytesPerGroup,
        )} and ${k.rowsPerGroup.toFixed(
          1,
        )} rows per group (tables incl. indexes, all databases; a user's ${(
          memberships / org.users.length
        ).toFixed(
          1,
        )} memberships count as the user's rows in the catalog's memberOf relations and the identity index, as the group's in hasMember and scim_members), ${mb(
          k.otherBytes,
        )} in no user's or group's rows; ${mb(k.tableBytes)} in tables, ${mb(
          k.databaseBytes,
        )} with the databases' system catalogs (pg_database_size)`,
      );
    }
  }
  const atEnd = { load: loadAverage(), otherWork: otherWork(SELF) };
  console.log(
    `\nLoad average at end (1/5/15 min): ${atEnd.load}; CI run going at end: ${
      otherWorkKinds(atEnd.otherWork).includes('CI run') ? 'yes' : 'no'
    }; other work at end: ${
      atEnd.otherWork.length
        ? otherWorkKinds(atEnd.otherWork).join(', ')
        : 'none'
    }; catalog API calls retried after a network error: ${catalogNetworkRetries()}`,
  );

  const out = join(RESULTS, `capacity-${runAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        runAt,
        command: `yarn bench:capacity ${process.argv
          .slice(2)
          .join(' ')}`.trim(),
        options,
        machine: { ...machine, postgres: pg, atStart, atEnd },
        code,
        build,
        org: {
          users: options.users,
          groups: options.groups,
          memberships,
          levels: levels(org),
        },
        networkRetries: catalogNetworkRetries(),
        phases: results,
        failure: failure ? String(failure) : undefined,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`JSON: ${out.slice(ROOT.length + 1)}`);
  if (failure) throw failure;
}

main().then(
  () => process.exit(0),
  error => {
    progress('');
    console.error(error);
    process.exit(1);
  },
);

/**
 * Why a ratio to file ingestion is bounded: both paths end in the same
 * catalog processing and stitching, and both share the machine's CPUs with
 * PostgreSQL. Machine CPU seconds per entity, over the whole phase and (SCIM)
 * over the part after the last SCIM response, when only the catalog and the
 * identity index worked, and the least wall time that cost allows on this
 * machine's CPUs even when they are all busy.
 */
function printCpuFloor(
  results: PhaseResult[],
  entities: number,
  file: PhaseResult | undefined,
) {
  const cpus = machineInfo().cpus;
  const perEntityMs = (cpuSeconds: number, n: number) =>
    n > 0 ? (cpuSeconds * 1000) / n : NaN;
  const floorS = (ms: number) => (ms * entities) / 1000 / cpus;
  console.log(
    `\nCPU per entity (machine CPU seconds: replicas, PostgreSQL, proxy and this script) and the least time to all visible it allows on ${cpus} CPUs all busy; "after the last SCIM response": the entities made visible from then on, when no SCIM request was left to answer`,
  );
  const rows: string[][] = [];
  for (const r of results) {
    const whole = perEntityMs(r.cpu.machine, entities);
    rows.push([
      r.label,
      'whole phase',
      `${entities}`,
      r.cpu.machine.toFixed(1),
      whole.toFixed(1),
      floorS(whole).toFixed(1),
    ]);
    if (r.afterWrites) {
      const after = perEntityMs(
        r.afterWrites.cpu.machine,
        r.afterWrites.entities,
      );
      rows.push([
        r.label,
        `after the last SCIM response (${r.afterWrites.cpu.seconds.toFixed(
          1,
        )} s)`,
        `${r.afterWrites.entities}`,
        r.afterWrites.cpu.machine.toFixed(1),
        after.toFixed(1),
        floorS(after).toFixed(1),
      ]);
    }
  }
  printTable(
    [
      'path',
      'window',
      'entities',
      'machine CPU s',
      'CPU ms per entity',
      `least time for ${entities} at that cost (s)`,
    ],
    rows,
  );
  if (file?.visibility.allVisible) {
    console.log(
      `2x of file ingestion: all visible within ${(
        file.visibility.allVisible / 2000
      ).toFixed(1)} s, which ${cpus} CPUs allow at no more than ${(
        ((file.visibility.allVisible / 2000) * cpus * 1000) /
        entities
      ).toFixed(1)} CPU ms per entity, SCIM requests included`,
    );
  }
}
