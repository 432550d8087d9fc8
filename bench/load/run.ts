/*
 * A mixed load run over the production shape: two production-built replicas
 * on PostgreSQL behind the round-robin proxy (scripts/replicas.sh), on
 * loopback only, for a bounded time.
 *
 *   source scripts/env.sh && yarn bench:load
 *
 * Not a test: it prints figures, and writes them as JSON to bench/results/.
 *
 * What it does:
 * 1. Starts the replicas (scripts/replicas.sh start, on ports of its own so
 *    that it never meets the replica tests) with one more config file, which
 *    it writes to bench/data/load/app-config.load.yaml (state in
 *    .demo/replicas-load). BENCH ONLY: it lets
 *    the demo sign-in provider run outside development for the users this
 *    run provisions, so that many users can call the permission backend with
 *    their own tokens. Everything else is the production config we document.
 * 2. Provisions an organisation through SCIM as the entra IdP (users, groups,
 *    `platform-admins` holding the admin it signs in as) and waits until the
 *    catalog shows every user.
 * 3. For BENCH_LOAD_MINUTES, at once and through the proxy:
 *    - SCIM writes at a steady rate: cycles of create a user, add it to a
 *      group, take it out, delete it;
 *    - POST /api/permission/authorize from many users (their own tokens),
 *      batches of three items: a guarded resource permission, an unguarded
 *      one and identity.read;
 *    - Identity API reads as the admin: the users page, the summary and a
 *      user's detail, in turn.
 *    Each replica's resident memory is read every 15 s.
 * 4. Prints throughput, p50/p95/p99 and the errors per kind (expected: none;
 *    a 5xx, a network error or an unexpected status counts), and each
 *    replica's memory at the start and at the end of the measured window
 *    with the growth per hour of a least-squares line through the samples,
 *    then stops the replicas (unless BENCH_LOAD_KEEP=1).
 *
 * Options (environment):
 *   BENCH_LOAD_MINUTES        measured minutes (20)
 *   BENCH_LOAD_WARMUP_SECONDS warm-up before measuring, same mix (30)
 *   BENCH_LOAD_USERS          users provisioned before the run (1000)
 *   BENCH_LOAD_GROUPS         groups they are spread over (50)
 *   BENCH_LOAD_SCIM_RATE      SCIM writes per second (5)
 *   BENCH_LOAD_AUTHZ_CLIENTS  concurrent authorize clients (8)
 *   BENCH_LOAD_AUTHZ_USERS    users signed in for authorize (200)
 *   BENCH_LOAD_READ_CLIENTS   concurrent Identity API readers (2)
 *   BENCH_LOAD_PORTS          replica ports ("7211 7212"); proxy: BENCH_LOAD_PROXY_PORT (7210)
 *   BENCH_LOAD_KEEP=1         leave the replicas running at the end
 *   REPLICAS_SKIP_BUILD=1     as scripts/replicas.sh: reuse the last build
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { ms, printTable, summarize } from '../identity/stats';
import {
  onInterrupt,
  readReplicasState,
  replicas as replicasCommand,
  ReplicasSettings,
  rssMb,
} from '../lib/replicas';

const ROOT = resolve(__dirname, '../..');
const DATA = join(ROOT, 'bench/data/load');
const RESULTS = join(ROOT, 'bench/results');
const LOAD_CONFIG = join(DATA, 'app-config.load.yaml');
/** Its own state folder: the replica tests' (.demo/replicas) stays theirs. */
const STATE_DIR = join(ROOT, '.demo/replicas-load');

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number`);
  }
  return value;
};
const MINUTES = num('BENCH_LOAD_MINUTES', 20);
const WARMUP_S = num('BENCH_LOAD_WARMUP_SECONDS', 30);
const USERS = num('BENCH_LOAD_USERS', 1000);
const GROUPS = Math.max(1, num('BENCH_LOAD_GROUPS', 50));
const SCIM_RATE = num('BENCH_LOAD_SCIM_RATE', 5);
const AUTHZ_CLIENTS = num('BENCH_LOAD_AUTHZ_CLIENTS', 8);
const AUTHZ_USERS = Math.min(USERS, num('BENCH_LOAD_AUTHZ_USERS', 200));
const READ_CLIENTS = num('BENCH_LOAD_READ_CLIENTS', 2);
const PORTS = process.env.BENCH_LOAD_PORTS ?? '7211 7212';
const PROXY_PORT = process.env.BENCH_LOAD_PROXY_PORT ?? '7210';
const ADMIN = 'load.admin';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const log = (message: string) =>
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const sleep = (msec: number) => new Promise(r => setTimeout(r, msec));

function userName(i: number) {
  return `load.user${String(i).padStart(5, '0')}`;
}

/** BENCH ONLY: the demo sign-in for this run's users, and nothing else. */
function writeLoadConfig() {
  mkdirSync(DATA, { recursive: true });
  const refs = [
    ADMIN,
    ...Array.from({ length: AUTHZ_USERS }, (_, i) => userName(i)),
  ];
  writeFileSync(
    LOAD_CONFIG,
    [
      '# BENCH ONLY. Written by bench/load/run.ts; never deploy it. The demo',
      '# sign-in provider, allowed outside development for the users this run',
      '# provisions through SCIM, so that many users call the permission',
      '# backend with their own tokens.',
      'demoSignIn:',
      '  dangerouslyAllowOutsideDevelopment: true',
      '  users:',
      ...refs.flatMap(name => [
        `    - userEntityRef: user:default/${name}`,
        `      title: ${name}`,
      ]),
      '',
    ].join('\n'),
  );
}

const REPLICAS: ReplicasSettings = {
  ports: PORTS,
  proxyPort: PROXY_PORT,
  stateDir: STATE_DIR,
  extraConfig: LOAD_CONFIG,
};
const replicas = (command: string) => replicasCommand(command, REPLICAS);

interface Sample {
  ms: number;
  ok: boolean;
  status: number;
}

class Recorder {
  readonly samples = new Map<string, Sample[]>();
  readonly errors = new Map<string, Map<string, number>>();
  measuring = false;

  record(kind: string, started: number, status: number, ok: boolean) {
    if (!this.measuring) {
      return;
    }
    const list = this.samples.get(kind) ?? [];
    list.push({ ms: performance.now() - started, ok, status });
    this.samples.set(kind, list);
    if (!ok) {
      const byStatus = this.errors.get(kind) ?? new Map<string, number>();
      const key = status ? String(status) : 'network';
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
      this.errors.set(kind, byStatus);
    }
  }
}

async function call(
  url: string,
  init: RequestInit,
): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.status, body };
  } catch {
    return { status: 0, body: undefined };
  }
}

async function main() {
  writeLoadConfig();
  log(
    `starting the replicas (ports ${PORTS}, proxy ${PROXY_PORT}) with ${LOAD_CONFIG}`,
  );
  const keep = process.env.BENCH_LOAD_KEEP === '1';
  if (!keep) {
    onInterrupt(() => replicas('stop'));
  }
  replicas('start');
  const state = readReplicasState(STATE_DIR);
  const proxy = state.PROXY_URL;
  const pids = state.REPLICA_PIDS.split(/\s+/).filter(Boolean).map(Number);
  const scimHeaders = {
    authorization: `Bearer ${state.SCIM_ENTRA_TOKEN}`,
    'content-type': 'application/scim+json',
  };
  const scim = (method: string, path: string, body?: object) =>
    call(`${proxy}/api/scim/v2${path}`, {
      method,
      headers: scimHeaders,
      body: body ? JSON.stringify(body) : undefined,
    });

  try {
    // ---- the organisation, through SCIM ----------------------------------
    const provisionStarted = Date.now();
    const ids: string[] = [];
    const created = async (name: string) => {
      const res = await scim('POST', '/Users', {
        schemas: [USER_SCHEMA],
        userName: `${name}@load.example`,
        active: true,
      });
      if (res.status !== 201) {
        throw new Error(
          `creating ${name}: ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
      return res.body.id as string;
    };
    const adminId = await created(ADMIN);
    for (let i = 0; i < USERS; i += 20) {
      const batch = Array.from({ length: Math.min(20, USERS - i) }, (_, k) =>
        created(userName(i + k)),
      );
      ids.push(...(await Promise.all(batch)));
    }
    const groupIds: string[] = [];
    for (let g = 0; g < GROUPS; g++) {
      const members = ids.filter((_, i) => i % GROUPS === g);
      const res = await scim('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: `load-team-${g}`,
        members: members.map(value => ({ value })),
      });
      if (res.status !== 201) {
        throw new Error(`creating group ${g}: ${res.status}`);
      }
      groupIds.push(res.body.id);
    }
    const admins = await scim('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'platform-admins',
      members: [{ value: adminId }],
    });
    if (admins.status !== 201) {
      throw new Error(`creating platform-admins: ${admins.status}`);
    }
    log(
      `provisioned ${USERS + 1} users and ${GROUPS + 1} groups in ${(
        (Date.now() - provisionStarted) /
        1000
      ).toFixed(1)} s; waiting for the catalog`,
    );
    const catalogCount = async () => {
      const res = await call(
        `${proxy}/api/catalog/entities/by-query?filter=kind=user&limit=1`,
        { headers: { authorization: `Bearer ${state.STATIC_TOKEN}` } },
      );
      return res.body?.totalItems ?? 0;
    };
    for (;;) {
      const count = await catalogCount();
      if (count >= USERS + 1) {
        break;
      }
      if (Date.now() - provisionStarted > 15 * 60_000) {
        throw new Error(`the catalog shows ${count} users after 15 minutes`);
      }
      await sleep(2000);
    }
    const visibleS = (Date.now() - provisionStarted) / 1000;
    log(`all users visible in the catalog after ${visibleS.toFixed(1)} s`);

    // ---- tokens -------------------------------------------------------------
    const signIn = async (name: string) => {
      for (let attempt = 0; ; attempt++) {
        const res = await call(`${proxy}/api/auth/demo/refresh`, {
          headers: {
            'x-demo-user': `user:default/${name}`,
            'x-requested-with': 'XMLHttpRequest',
          },
        });
        if (res.status === 200) {
          return res.body.backstageIdentity.token as string;
        }
        if (attempt > 30) {
          throw new Error(`sign-in as ${name}: ${res.status}`);
        }
        await sleep(1000);
      }
    };
    const adminToken = await signIn(ADMIN);
    const tokens: string[] = [];
    for (let i = 0; i < AUTHZ_USERS; i += 10) {
      tokens.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(10, AUTHZ_USERS - i) }, (_, k) =>
            signIn(userName(i + k)),
          ),
        )),
      );
    }
    // The admin's grant may take up to grantLatencySeconds to show.
    for (let waited = 0; ; waited += 2) {
      const res = await call(`${proxy}/api/identity/summary`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      if (res.status === 200) {
        break;
      }
      if (waited > 120) {
        throw new Error(
          `the admin cannot read the Identity API: ${res.status}`,
        );
      }
      await sleep(2000);
    }
    log(`signed in ${tokens.length} users and the admin`);

    // ---- the load -----------------------------------------------------------
    const recorder = new Recorder();
    let stop = false;
    const loops: Promise<void>[] = [];

    // SCIM writes at a steady rate: a cycle of four operations (create a
    // user, add it to a group, take it out, delete it) starts every 4/rate
    // s, its operations back to back, so the writes average the rate.
    const patch = (op: string, value: object) => ({
      schemas: [PATCH_SCHEMA],
      Operations: [{ op, ...value }],
    });
    const scimCycle = async (n: number) => {
      const group = groupIds[n % groupIds.length];
      let id = '';
      const steps: Array<
        [string, () => Promise<{ status: number; body: any }>, number[]]
      > = [
        [
          'scim create user',
          async () => {
            const res = await scim('POST', '/Users', {
              schemas: [USER_SCHEMA],
              userName: `churn${n}@load.example`,
              active: true,
            });
            id = res.body?.id ?? '';
            return res;
          },
          [201],
        ],
        [
          'scim add member',
          () =>
            scim(
              'PATCH',
              `/Groups/${group}`,
              patch('add', { path: 'members', value: [{ value: id }] }),
            ),
          [200, 204],
        ],
        [
          'scim remove member',
          () =>
            scim(
              'PATCH',
              `/Groups/${group}`,
              patch('remove', { path: `members[value eq "${id}"]` }),
            ),
          [200, 204],
        ],
        ['scim delete user', () => scim('DELETE', `/Users/${id}`), [204]],
      ];
      for (const [kind, run, expected] of steps) {
        const started = performance.now();
        const res = await run();
        const ok = expected.includes(res.status);
        recorder.record(kind, started, res.status, ok);
        if (!ok) return;
      }
    };
    loops.push(
      (async () => {
        if (!SCIM_RATE) return;
        const interval = 4000 / SCIM_RATE;
        const inFlight = new Set<Promise<void>>();
        let next = performance.now();
        for (let n = 0; !stop; n++) {
          const cycle = scimCycle(n).finally(() => inFlight.delete(cycle));
          inFlight.add(cycle);
          next += interval;
          await sleep(Math.max(0, next - performance.now()));
        }
        await Promise.all(inFlight);
      })(),
    );

    // Authorize from many users.
    const items = (i: number) => ({
      items: [
        {
          id: 'a',
          permission: {
            type: 'resource',
            name: 'catalog.entity.delete',
            attributes: { action: 'delete' },
            resourceType: 'catalog-entity',
          },
          resourceRef: `user:default/${userName(i % USERS)}`,
        },
        {
          id: 'b',
          permission: {
            type: 'resource',
            name: 'catalog.entity.read',
            attributes: { action: 'read' },
            resourceType: 'catalog-entity',
          },
          resourceRef: `user:default/${userName((i + 1) % USERS)}`,
        },
        {
          id: 'c',
          permission: {
            type: 'basic',
            name: 'identity.read',
            attributes: { action: 'read' },
          },
        },
      ],
    });
    let authzN = 0;
    for (let c = 0; c < AUTHZ_CLIENTS; c++) {
      loops.push(
        (async () => {
          while (!stop) {
            const i = authzN++;
            const started = performance.now();
            const res = await call(`${proxy}/api/permission/authorize`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${tokens[i % tokens.length]}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify(items(i)),
            });
            const ok =
              res.status === 200 &&
              Array.isArray(res.body?.items) &&
              res.body.items.length === 3;
            recorder.record('authorize (3 items)', started, res.status, ok);
          }
        })(),
      );
    }

    // Identity API reads as the admin.
    let readN = 0;
    for (let c = 0; c < READ_CLIENTS; c++) {
      loops.push(
        (async () => {
          while (!stop) {
            const i = readN++;
            const [kind, path] = [
              ['identity users page', '/users?limit=50'],
              ['identity summary', '/summary'],
              ['identity user detail', `/users/default/${userName(i % USERS)}`],
            ][i % 3];
            const started = performance.now();
            const res = await call(`${proxy}/api/identity${path}`, {
              headers: { authorization: `Bearer ${adminToken}` },
            });
            recorder.record(kind, started, res.status, res.status === 200);
          }
        })(),
      );
    }

    log(`warm-up ${WARMUP_S} s`);
    await sleep(WARMUP_S * 1000);
    recorder.measuring = true;
    const measureStarted = performance.now();
    const memory: Array<{ s: number; mb: Array<number | undefined> }> = [];
    const sampleMemory = () =>
      memory.push({
        s: (performance.now() - measureStarted) / 1000,
        mb: pids.map(rssMb),
      });
    sampleMemory();
    log(`measuring ${MINUTES} min`);
    const endAt = measureStarted + MINUTES * 60_000;
    let lastReport = performance.now();
    while (performance.now() < endAt) {
      await sleep(Math.min(15_000, Math.max(0, endAt - performance.now())));
      sampleMemory();
      if (performance.now() - lastReport >= 60_000) {
        lastReport = performance.now();
        const done = [...recorder.samples.values()].reduce(
          (s, l) => s + l.length,
          0,
        );
        const errors = [...recorder.errors.values()].reduce(
          (s, m) => s + [...m.values()].reduce((a, b) => a + b, 0),
          0,
        );
        log(
          `${((performance.now() - measureStarted) / 60_000).toFixed(
            1,
          )} min: ${done} requests, ${errors} errors`,
        );
      }
    }
    recorder.measuring = false;
    const seconds = (performance.now() - measureStarted) / 1000;
    stop = true;
    await Promise.all(loops);

    // ---- report -------------------------------------------------------------
    console.log(
      `\nLoad run (bench/load), ${new Date().toISOString()}\nMachine: ${
        os.cpus().length
      } CPUs (${os.cpus()[0]?.model.trim()}), ${Math.round(
        os.totalmem() / 2 ** 30,
      )} GB, Node ${process.version}, load average at end ${os
        .loadavg()
        .map(v => v.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `Setup: ${
        pids.length
      } production-built replicas on PostgreSQL behind the round-robin proxy (scripts/replicas.sh), loopback; organisation provisioned through SCIM: ${
        USERS + 1
      } users, ${
        GROUPS + 1
      } groups, visible in the catalog after ${visibleS.toFixed(1)} s`,
    );
    console.log(
      `Mix: SCIM writes at ${SCIM_RATE}/s (create user, add to a group, remove, delete), authorize from ${AUTHZ_CLIENTS} clients as ${
        tokens.length
      } users (3 items each), Identity API reads from ${READ_CLIENTS} clients as the admin; warm-up ${WARMUP_S} s, measured ${(
        seconds / 60
      ).toFixed(1)} min`,
    );
    const rows: string[][] = [];
    const report: Record<string, object> = {};
    for (const [kind, list] of [...recorder.samples].sort()) {
      const s = summarize(list.map(x => x.ms));
      const errors = Object.fromEntries(recorder.errors.get(kind) ?? []);
      const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
      report[kind] = { ...s, perSecond: list.length / seconds, errors };
      rows.push([
        kind,
        String(list.length),
        (list.length / seconds).toFixed(1),
        ms(s.p50),
        ms(s.p95),
        ms(s.p99),
        ms(s.max),
        errorCount
          ? `${errorCount} (${Object.entries(errors)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')})`
          : '0',
      ]);
    }
    printTable(
      ['request', 'n', 'per s', 'p50', 'p95', 'p99', 'max', 'errors'],
      rows,
    );

    const growth = pids.map((_, r) => {
      const points = memory
        .map(m => [m.s, m.mb[r]] as const)
        .filter((p): p is readonly [number, number] => p[1] !== undefined);
      if (points.length < 2) return undefined;
      const n = points.length;
      const mx = points.reduce((a, p) => a + p[0], 0) / n;
      const my = points.reduce((a, p) => a + p[1], 0) / n;
      const slope =
        points.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0) /
        (points.reduce((a, p) => a + (p[0] - mx) ** 2, 0) || 1);
      return {
        startMb: points[0][1],
        endMb: points[n - 1][1],
        maxMb: Math.max(...points.map(p => p[1])),
        perHourMb: slope * 3600,
        samples: n,
      };
    });
    printTable(
      [
        'replica',
        'RSS at start',
        'RSS at end',
        'max',
        'growth per hour (least squares, extrapolated)',
        'samples',
      ],
      growth.map((g, r) =>
        g
          ? [
              `${r + 1} (pid ${pids[r]})`,
              `${g.startMb.toFixed(0)} MB`,
              `${g.endMb.toFixed(0)} MB`,
              `${g.maxMb.toFixed(0)} MB`,
              `${g.perHourMb >= 0 ? '+' : ''}${g.perHourMb.toFixed(0)} MB/h`,
              String(g.samples),
            ]
          : [`${r + 1} (pid ${pids[r]})`, 'gone', '', '', '', ''],
      ),
    );
    mkdirSync(RESULTS, { recursive: true });
    const file = join(
      RESULTS,
      `load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    writeFileSync(
      file,
      JSON.stringify(
        {
          minutes: MINUTES,
          seconds,
          users: USERS,
          groups: GROUPS,
          scimRate: SCIM_RATE,
          authzClients: AUTHZ_CLIENTS,
          readClients: READ_CLIENTS,
          visibleS,
          report,
          memory,
          growth,
        },
        null,
        2,
      ),
    );
    console.log(`JSON: ${file.slice(ROOT.length + 1)}`);
  } finally {
    if (!keep) {
      log('stopping the replicas');
      replicas('stop');
    }
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
