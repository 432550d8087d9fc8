/*
 * The access review benchmark (issue 17's speed goals) on 50,000 users and
 * 5,000 nested groups (the generator's organisation, as bench/identity and
 * bench/access use it), real backend (packages/backend, NODE_ENV=production):
 *
 *   - a campaign whose scope holds 5,000 people (whole departments, largest
 *     first, until they hold BENCH_REVIEW_PEOPLE: the organisation has no
 *     single group of that size) is created, snapshot included, in < 10 s;
 *   - a reviewer's page of items (GET /items?mine=true&limit=50, the
 *     reviewer's own token) p95 < 200 ms;
 *   - the campaign's evidence export (CSV) < 5 s;
 *
 * with, in the same rounds, the Identity page's own GET /users?limit=50 as
 * the baseline, and for information: campaigns of the two other scopes
 * (every privileged user; catalog.entity.refresh's who-can), the manager's
 * page of all items, the campaign with its progress, a reviewer's bulk decision of a page, and the
 * printable HTML report when the backend serves one.
 *
 *   source scripts/env.sh && BENCH_PG=postgresql://postgres@127.0.0.1:5432 yarn bench:reviews
 *
 * Not a test: it prints figures and whether each goal is met, and writes
 * them to bench/results/reviews-<time>.json (and reviews-latest.json); the
 * backend's log goes to bench/results/reviews-bench-backend.log.
 *
 * Backend, databases, ingestion and the wait for a quiet machine are
 * bench/identity's (and so shared with bench/access: same port 7017, same
 * identity_bench_* databases, the catalog reused for the same organisation;
 * never run them at once). Two more config files:
 * bench/reviews/app-config.bench.yaml (its path also tells the quiet-machine
 * check that the backend is this benchmark's own), and one generated into
 * bench/data/: `demoSignIn.users` with Ada and the reviewers, so that each
 * reviewer reads their page with their own token, through the demo sign-in
 * provider (allowed outside development by bench/identity's config).
 *
 * Options (environment):
 *   BENCH_USERS, BENCH_GROUPS  organisation size (50000, 5000)
 *   BENCH_SEED                 generator seed and the picks (1)
 *   BENCH_REVIEW_PEOPLE        people in the campaign's scope (5000)
 *   BENCH_REVIEWERS            default reviewers, users outside the scope (10)
 *   BENCH_CREATE_RUNS          campaigns created and timed (3)
 *   BENCH_API_N                measured rounds (200, after BENCH_API_WARMUP,
 *                              20); each round: a reviewer's page at a random
 *                              offset, the manager's page, the campaign, and
 *                              /users?limit=50, one after the other
 *   BENCH_EXPORT_RUNS          measured exports, after one warm-up (3)
 *   BENCH_PG, BENCH_DB_DIR, BENCH_INGEST_TIMEOUT_MIN, BENCH_WAIT_QUIET_MIN,
 *   BENCH_SQLITE_WORKAROUND    as bench:access
 *
 * A quick check: BENCH_USERS=2000 BENCH_GROUPS=200 BENCH_REVIEW_PEOPLE=500
 * BENCH_API_N=50 yarn bench:reviews (a few minutes, SQLite in memory).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  ReviewCampaign,
  ReviewItemPage,
} from '@identity-governance/plugin-identity-common';
import { CsvRun, timeCsvExport } from '../identity/apiBench';
import { startBackend } from '../identity/backendProcess';
import { vacuumAnalyze } from '../identity/benchPostgres';
import {
  envNumber,
  markBenchCatalogComplete,
  prepareBenchStorage,
  readBenchStorage,
} from '../identity/benchStorage';
import {
  ADA,
  log,
  signIn,
  waitForIngestion,
  waitForQuietMachine,
} from '../identity/harness';
import { ms, printTable, summarize, Summary } from '../identity/stats';
import { machineInfo, watchMachine } from '../lib/machine';
import { loadOrg, orgDirName, seededRandom } from '../lib/org';
import { pickDepartments } from './reviewScope';

const ROOT = resolve(__dirname, '../..');
const RESULTS = join(ROOT, 'bench/results');
const SELF = 'bench/reviews';

const env = envNumber;
const USERS = env('BENCH_USERS', 50000);
const GROUPS = env('BENCH_GROUPS', 5000);
const SEED = process.env.BENCH_SEED ?? '1';
const PEOPLE = env('BENCH_REVIEW_PEOPLE', 5000);
const REVIEWERS = env('BENCH_REVIEWERS', 10);
const CREATE_RUNS = env('BENCH_CREATE_RUNS', 3);
const API_N = env('BENCH_API_N', 200);
const API_WARMUP = env('BENCH_API_WARMUP', 20);
const EXPORT_RUNS = env('BENCH_EXPORT_RUNS', 3);
const INGEST_TIMEOUT_MIN = env('BENCH_INGEST_TIMEOUT_MIN', 120);
const WAIT_QUIET_MIN = env('BENCH_WAIT_QUIET_MIN', 90);
const SQLITE_WORKAROUND = process.env.BENCH_SQLITE_WORKAROUND !== '0';
const STORAGE = readBenchStorage(ROOT);
const { dbDir: DB_DIR, pg: PG } = STORAGE;
/** bench/identity/app-config.bench.yaml's port. */
const PORT = 7017;
const ORG_DIR = join(ROOT, 'bench/data', orgDirName(USERS, GROUPS));
const REVIEWS_CONFIG = join(ROOT, 'bench/reviews/app-config.bench.yaml');
const USERS_CONFIG = join(
  ROOT,
  'bench/data',
  `reviews-demo-users-${orgDirName(USERS, GROUPS)}.yaml`,
);
const TOKEN = `reviews-bench-${process.pid}-${Date.now()}`;
/** A reviewer's page: what the Reviews tab asks for. */
const PAGE = 50;
const GOALS = { createMs: 10_000, reviewerPageP95Ms: 200, exportMs: 5_000 };

interface Timed<T> {
  ms: number;
  status: number;
  body: T;
  text: string;
}

async function call<T>(
  url: string,
  token: string,
  body?: object,
): Promise<Timed<T>> {
  const started = performance.now();
  const res = await fetch(url, {
    method: body ? 'POST' : 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const elapsed = performance.now() - started;
  let parsed: T = undefined as T;
  try {
    parsed = JSON.parse(text);
  } catch {
    // HTML or CSV: the text is what counts.
  }
  return { ms: elapsed, status: res.status, body: parsed, text };
}

function expectOk(what: string, timed: Timed<unknown>) {
  if (timed.status >= 300) {
    throw new Error(`${what}: ${timed.status} ${timed.text.slice(0, 300)}`);
  }
}

const row = (name: string, s: Summary, goal?: string) => [
  name,
  String(s.n),
  ms(s.p50),
  ms(s.p95),
  ms(s.p99),
  ms(s.max),
  goal ?? '',
];

async function main() {
  mkdirSync(RESULTS, { recursive: true });
  const watch = watchMachine(SELF);
  const org = await loadOrg(ORG_DIR, {
    users: USERS,
    groups: GROUPS,
    seed: SEED,
  });
  const scope = pickDepartments(org, PEOPLE);
  const random = seededRandom(Number(SEED) || 1);
  const outside = org.users.filter(
    u => !scope.names.has(u.name) && u.name !== 'ada.admin',
  );
  const reviewers = new Set<string>();
  while (reviewers.size < Math.min(REVIEWERS, outside.length)) {
    reviewers.add(
      `user:default/${outside[Math.floor(random() * outside.length)].name}`,
    );
  }
  writeFileSync(
    USERS_CONFIG,
    [
      '# Generated by bench/reviews/run.ts: Ada and the campaign reviewers may',
      '# sign in through the demo provider. Bench only.',
      'demoSignIn:',
      '  users:',
      ...[ADA, ...reviewers].flatMap(ref => [
        `    - userEntityRef: ${ref}`,
        `      title: ${JSON.stringify(ref)}`,
      ]),
      '',
    ].join('\n'),
  );
  log(
    `scope: ${scope.groups.length} departments, ${scope.people} people, ${scope.pairs} (person, group) pairs; ${reviewers.size} reviewers`,
  );

  const organisation = `${relative(
    ROOT,
    ORG_DIR,
  )} --users ${USERS} --groups ${GROUPS} --seed ${SEED}\n`;
  let database = 'SQLite in memory';
  let catalogReused = false;
  ({ database, catalogReused } = await prepareBenchStorage(
    STORAGE,
    organisation,
  ));
  log(
    `backend on :${PORT}, NODE_ENV=production, ${database}, catalog reused: ${catalogReused}`,
  );
  const backend = await startBackend({
    root: ROOT,
    port: PORT,
    orgDir: ORG_DIR,
    locations: org.files,
    readHost: 'localhost:7018',
    token: TOKEN,
    logFile: join(RESULTS, 'reviews-bench-backend.log'),
    sqliteWorkaround: SQLITE_WORKAROUND,
    dbDir: DB_DIR,
    postgres: PG,
    extraConfigs: [REVIEWS_CONFIG, USERS_CONFIG],
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      backend.stop().finally(() => process.exit(130));
    });
  }
  try {
    const base = `${backend.baseUrl}/api/identity`;
    const ingestion = await waitForIngestion(backend, {
      users: USERS,
      groups: GROUPS,
      token: TOKEN,
      timeoutMin: INGEST_TIMEOUT_MIN,
      triggerRefreshes: false,
    });
    markBenchCatalogComplete(STORAGE, organisation);
    log(
      `ingested: catalog ${ms(ingestion.catalogMs)}, index ${ms(
        ingestion.indexMs,
      )}`,
    );
    if (PG) log(await vacuumAnalyze(PG));
    const loadBefore = await waitForQuietMachine(SELF, WAIT_QUIET_MIN);

    const ada = await signIn(backend.baseUrl);
    const reviewerTokens = new Map<string, string>();
    for (const ref of reviewers) {
      reviewerTokens.set(ref, await signIn(backend.baseUrl, ref));
    }

    // ---- creation, snapshot included ---------------------------------
    const created: Array<{ ms: number; items: number; id: string }> = [];
    for (let i = 0; i < CREATE_RUNS; i++) {
      const res = await call<ReviewCampaign>(`${base}/reviews/campaigns`, ada, {
        name: `bench ${i + 1}`,
        scope: { type: 'groups', groups: scope.groups },
        dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        defaultReviewers: [...reviewers],
      });
      expectOk('create campaign', res);
      created.push({ ms: res.ms, items: res.body.itemCount, id: res.body.id });
      log(`campaign ${i + 1}: ${res.body.itemCount} items in ${ms(res.ms)}`);
    }
    const campaign = created[0];
    // The other two scopes, once each: they look users up in the index
    // rather than page through a group, by streaming every user when the
    // scope holds more than a few hundred people.
    const otherScopes: Array<{ scope: string; ms: number; items: number }> = [];
    for (const [label, scopeBody] of [
      ['privileged', { type: 'privileged' }],
      [
        'permission catalog.entity.refresh',
        { type: 'permission', permission: 'catalog.entity.refresh' },
      ],
    ] as const) {
      const res = await call<ReviewCampaign>(`${base}/reviews/campaigns`, ada, {
        name: `bench ${label}`,
        scope: scopeBody,
        dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        defaultReviewers: [...reviewers],
      });
      expectOk(`create ${label} campaign`, res);
      otherScopes.push({ scope: label, ms: res.ms, items: res.body.itemCount });
      log(`${label} campaign: ${res.body.itemCount} items in ${ms(res.ms)}`);
    }

    // ---- rounds: reviewer page, manager page, campaign, baseline ----
    const series = {
      reviewerPage: [] as number[],
      managerPage: [] as number[],
      campaign: [] as number[],
      users: [] as number[],
    };
    const errors: string[] = [];
    const reviewerList = [...reviewerTokens];
    const perReviewer = Math.ceil(campaign.items / reviewerList.length);
    for (let round = 0; round < API_WARMUP + API_N; round++) {
      const [, token] = reviewerList[round % reviewerList.length];
      const offset = Math.floor(random() * Math.max(1, perReviewer - PAGE));
      const managerOffset = Math.floor(
        random() * Math.max(1, campaign.items - PAGE),
      );
      const requests: Array<[keyof typeof series, string, string]> = [
        [
          'reviewerPage',
          `${base}/reviews/campaigns/${campaign.id}/items?mine=true&offset=${offset}&limit=${PAGE}`,
          token,
        ],
        [
          'managerPage',
          `${base}/reviews/campaigns/${campaign.id}/items?offset=${managerOffset}&limit=${PAGE}`,
          ada,
        ],
        ['campaign', `${base}/reviews/campaigns/${campaign.id}`, token],
        ['users', `${base}/users?offset=0&limit=${PAGE}`, ada],
      ];
      for (const [key, url, who] of requests) {
        const res = await call<ReviewItemPage>(url, who);
        if (res.status !== 200) {
          errors.push(`${res.status} ${url}: ${res.text.slice(0, 200)}`);
        } else if (round >= API_WARMUP) {
          series[key].push(res.ms);
        }
      }
    }

    // ---- a page of bulk decisions per reviewer ----------------------
    const decisions: number[] = [];
    for (const [ref, token] of reviewerList) {
      const page = await call<ReviewItemPage>(
        `${base}/reviews/campaigns/${campaign.id}/items?mine=true&offset=0&limit=${PAGE}`,
        token,
      );
      expectOk(`page of ${ref}`, page);
      const res = await call(
        `${base}/reviews/campaigns/${campaign.id}/decisions`,
        token,
        {
          decisions: page.body.items.map((item, i) => ({
            itemId: item.id,
            decision: i % 10 === 0 ? 'revoke' : 'keep',
            comment: i % 10 === 0 ? 'left the project' : undefined,
          })),
        },
      );
      expectOk(`decisions of ${ref}`, res);
      decisions.push(res.ms);
    }

    // ---- evidence: CSV export and HTML report ------------------------
    const exportUrl = `${base}/reviews/campaigns/${campaign.id}/export`;
    const exports: CsvRun[] = [];
    for (let i = 0; i <= EXPORT_RUNS; i++) {
      const run = await timeCsvExport(exportUrl, ada);
      if (run.status !== 200) throw new Error(`export: ${run.status}`);
      if (i > 0) exports.push(run);
    }
    const reports: Array<{ ms: number; bytes: number }> = [];
    let reportStatus = 0;
    for (let i = 0; i <= EXPORT_RUNS; i++) {
      const res = await call(
        `${base}/reviews/campaigns/${campaign.id}/report`,
        ada,
      );
      reportStatus = res.status;
      if (res.status !== 200) break;
      if (i > 0)
        reports.push({ ms: res.ms, bytes: Buffer.byteLength(res.text) });
    }
    const machine = { ...machineInfo(), ...watch.stop(), loadBefore };

    // ---- report ------------------------------------------------------
    const summaries = Object.fromEntries(
      Object.entries(series).map(([k, v]) => [k, summarize(v)]),
    ) as Record<keyof typeof series, Summary>;
    const exportSummary = summarize(exports.map(e => e.totalMs));
    const createSummary = summarize(created.map(c => c.ms));
    console.log(
      `\nAccess reviews, ${USERS} users / ${GROUPS} groups, ${database}\nmachine: ${
        machine.cpu
      }, ${machine.memory}, Node ${machine.node}, Backstage ${
        machine.backstage
      }; max load ${machine.maxLoad1.toFixed(2)}; other work: ${
        machine.otherWork.join(', ') || 'none'
      }\nscope: ${scope.groups.length} departments, ${scope.people} people, ${
        scope.pairs
      } (person, group) pairs expected; campaigns froze ${created
        .map(c => c.items)
        .join(', ')} items; ${reviewers.size} reviewers\n`,
    );
    printTable(
      ['request', 'n', 'p50', 'p95', 'p99', 'max', 'goal'],
      [
        row(
          'create campaign (snapshot incl.)',
          createSummary,
          `< 10 s: ${
            createSummary.max < GOALS.createMs ? 'met' : 'NOT met'
          } (slowest)`,
        ),
        ...otherScopes.map(o => [
          `create: ${o.scope} (${o.items} items)`,
          '1',
          ms(o.ms),
          '',
          '',
          '',
          '',
        ]),
        row(
          `reviewer's page (mine, limit ${PAGE})`,
          summaries.reviewerPage,
          `p95 < 200 ms: ${
            summaries.reviewerPage.p95 < GOALS.reviewerPageP95Ms
              ? 'met'
              : 'NOT met'
          }`,
        ),
        row(`manager's page (all, limit ${PAGE})`, summaries.managerPage),
        row('campaign with progress', summaries.campaign),
        row(`baseline /users?limit=${PAGE}`, summaries.users),
        row(`bulk decision of ${PAGE}`, summarize(decisions)),
        row(
          `CSV export (${exports[0]?.records ?? 0} rows, ${
            exports[0]?.bytes ?? 0
          } B)`,
          exportSummary,
          `< 5 s: ${
            exportSummary.max < GOALS.exportMs ? 'met' : 'NOT met'
          } (slowest)`,
        ),
        reports.length
          ? row(
              `HTML report (${reports[0].bytes} B)`,
              summarize(reports.map(r => r.ms)),
            )
          : [`HTML report: ${reportStatus}`, '', '', '', '', '', ''],
      ],
    );
    console.log(
      `\nreviewer page p95 / baseline p95: ${(
        summaries.reviewerPage.p95 / summaries.users.p95
      ).toFixed(2)}x; errors: ${errors.length}${
        errors.length ? ` (first: ${errors[0]})` : ''
      }`,
    );
    const result = {
      at: new Date().toISOString(),
      users: USERS,
      groups: GROUPS,
      database,
      machine,
      scope: { ...scope, names: undefined },
      created,
      otherScopes,
      summaries,
      decisions: summarize(decisions),
      exports,
      reports,
      errors,
    };
    const stamp = result.at.replace(/[:.]/g, '-');
    writeFileSync(
      join(RESULTS, `reviews-${stamp}.json`),
      JSON.stringify(result, null, 2),
    );
    writeFileSync(
      join(RESULTS, 'reviews-latest.json'),
      JSON.stringify(result, null, 2),
    );
  } finally {
    await backend.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
