/*
 * The Identity page benchmark: 50,000 users and 5,000 nested groups from the
 * demo generator, the real backend (packages/backend, SQLite in memory, or
 * in files with BENCH_DB_DIR) and the production build of the app in
 * Chromium, against the goals:
 *
 *   - API: users query with search and group filter p95 < 100 ms; summary
 *     < 100 ms; CSV export of all users streams in < 10 s.
 *   - Page: first 50 rows shown < 2 s after navigation; a search settles
 *     < 300 ms after the last keystroke.
 *   - The catalog page filtered to users, same data, same run, to compare.
 *
 *   source scripts/env.sh && yarn bench:identity
 *
 * Not a test: it prints figures and whether each goal is met, and writes
 * them to bench/results/identity-<time>.json (and identity-latest.json); the
 * backend's log goes to bench/results/identity-bench-backend.log. Over an
 * hour at full size on 2 cores on SQLite, most of it the catalog ingesting
 * the files; about 25 minutes with BENCH_PG (12 of them ingesting), 12 when
 * it reuses the catalog.
 *
 * Options (environment):
 *   BENCH_USERS, BENCH_GROUPS  organisation size (50000, 5000); generated into
 *                              bench/data/org-<size> unless already there
 *   BENCH_SEED                 generator seed and picks of terms/groups (1)
 *   BENCH_API_N                measured requests per API row (200)
 *   BENCH_API_WARMUP           warm-up requests per API row (20)
 *   BENCH_CSV_RUNS             measured CSV exports, after one warm-up (3)
 *   BENCH_PAGE_N               navigations and searches per page (10), and
 *                              as many navigations again in a browser with
 *                              a profile on disk (after 3 loads of each)
 *   BENCH_PORT                 backend and app port (7017)
 *   BENCH_FRESH_PORT           serves the freshness check's YAML (7018)
 *   BENCH_SKIP_BUILD=1         use packages/app/dist as it is (by default it
 *                              is rebuilt when older than the app's sources)
 *   BENCH_SQLITE_WORKAROUND=0  do not preload sqliteCompoundInsert.cjs
 *   BENCH_DB_DIR=<dir>         keep the backend's SQLite databases as files in
 *                              <dir> (backend.database.connection.directory)
 *                              instead of memory, so that a later run with
 *                              the same organisation reuses the ingested
 *                              catalog (over an hour at full size) and
 *                              skips straight to indexing. Before each start
 *                              every database file there but the catalog's is
 *                              deleted (all of them when the organisation
 *                              differs, see benchDatabase.ts); the identity
 *                              plugin stays in memory and indexes afresh, so
 *                              what is measured is the same as without the
 *                              option; the freshness check's locations (and
 *                              its users) are deleted after it, and any an
 *                              interrupted run left are deleted at the start.
 *                              The report says which mode ran.
 *   BENCH_PG=<connection>      every plugin's database on this PostgreSQL
 *                              server instead of SQLite (e.g.
 *                              postgresql://postgres@127.0.0.1:5432), as a
 *                              deployment runs: databases identity_bench_<plugin>
 *                              (backend.database.prefix). The catalog's is
 *                              kept for a later run of the same organisation,
 *                              as with BENCH_DB_DIR (marker file
 *                              bench/data/pg-catalog.txt); all the others,
 *                              the identity plugin's included, are dropped at
 *                              the start. Not with BENCH_DB_DIR. Catalog
 *                              ingestion is much faster than on SQLite, whose
 *                              planner scans refresh_state_references in full
 *                              for every processed entity (the catalog's
 *                              "source_entity_ref = ? or 1 = ?" delete).
 *                              After ingestion the script runs VACUUM
 *                              ANALYZE on them, as autovacuum would (it is
 *                              off on this machine's server)
 *   BENCH_REFRESH_INTERVAL     a diagnostic: identity.refresh.interval for the
 *                              run (e.g. PT30M); the script triggers the index
 *                              refresh itself while ingesting, nothing
 *                              refreshes in the background while measuring,
 *                              and the freshness check is skipped
 *   BENCH_INGEST_TIMEOUT_MIN   give up ingesting after this long (120)
 *   BENCH_WAIT_QUIET_MIN       before measuring, wait this long at most for a
 *                              CI run (/tmp/ci-check) or another benchmark to
 *                              finish (90)
 *   CHROMIUM_PATH              the browser (/usr/bin/chromium)
 *
 * A quick check: BENCH_USERS=2000 BENCH_GROUPS=200 BENCH_API_N=20
 * BENCH_PAGE_N=2 yarn bench:identity (about three minutes).
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { CsvRun, timeCsvExport, timeRequests } from './apiBench';
import { startBackend } from './backendProcess';
import { vacuumAnalyze } from './benchPostgres';
import {
  envNumber,
  markBenchCatalogComplete,
  prepareBenchStorage,
  readBenchStorage,
} from './benchStorage';
import {
  removeFreshnessLocations,
  timeFreshness,
  timeIdleRefreshes,
} from './freshness';
import { loadOrg, orgDirName, seededRandom } from '../lib/org';
import { searchTerms } from './searchTerms';
import { chromiumPath } from '../../scripts/debianChromium';
import {
  launch,
  launchWithProfile,
  measureNavigation,
  measureSearch,
  NavigationSample,
  PageUnderTest,
  prepareContext,
  SearchSample,
} from './pageBench';
import { BenchResult, GOALS, printReport } from './report';
import {
  ADA,
  ciRunning as ciRunningOf,
  cpuPercent,
  log,
  otherLoad as otherLoadOf,
  signIn,
  triggerRefresh as triggerRefreshWith,
  waitForIngestion,
  waitForQuietMachine,
} from './harness';
import { ms } from './stats';

const ROOT = resolve(__dirname, '../..');
const RESULTS = join(ROOT, 'bench/results');

const env = envNumber;
const USERS = env('BENCH_USERS', 50000);
const GROUPS = env('BENCH_GROUPS', 5000);
const SEED = process.env.BENCH_SEED ?? '1';
const PORT = env('BENCH_PORT', 7017);
/** Serves the new users' YAML for the freshness measurement. */
const FRESH_PORT = env('BENCH_FRESH_PORT', 7018);
const API_N = env('BENCH_API_N', 200);
const API_WARMUP = env('BENCH_API_WARMUP', 20);
const CSV_RUNS = env('BENCH_CSV_RUNS', 3);
const PAGE_N = env('BENCH_PAGE_N', 10);
/** Loads of each page that fill a browser profile's caches before measuring. */
const PROFILE_WARMUP = 3;
const INGEST_TIMEOUT_MIN = env('BENCH_INGEST_TIMEOUT_MIN', 120);
const WAIT_QUIET_MIN = env('BENCH_WAIT_QUIET_MIN', 90);
const SQLITE_WORKAROUND = process.env.BENCH_SQLITE_WORKAROUND !== '0';
/**
 * A diagnostic: `identity.refresh.interval` for this run (e.g. PT30M). The
 * script then triggers the index refresh itself while ingesting (through the
 * scheduler's API), so that nothing refreshes in the background while it
 * measures; the freshness check is skipped.
 */
const REFRESH_INTERVAL = process.env.BENCH_REFRESH_INTERVAL || undefined;
const STORAGE = readBenchStorage(ROOT);
const { dbDir: DB_DIR, pg: PG } = STORAGE;
const ORG_DIR = join(ROOT, 'bench/data', orgDirName(USERS, GROUPS));
/** Only the script's own catalog/identity reads while waiting; see config. */
const TOKEN = `identity-bench-${process.pid}-${Date.now()}`;

const IDENTITY: PageUnderTest = {
  key: 'identity',
  label: 'Identity',
  path: '/identity/users?limit=50',
  rows: 50,
  search: 'input[aria-label="Search users"]',
  searchParam: 'q',
  // SEARCH_DEBOUNCE_MS in plugins/identity (SearchField.tsx); only reported.
  debounceMs: 100,
  dataRequest: '/api/identity/users?',
  dataSearchParam: 'q',
};
// `/catalog?filters[kind]=user` in the issue: this app mounts the catalog
// index at `/` (app-config.yaml), and /catalog is a 404 here.
const CATALOG: PageUnderTest = {
  key: 'catalog',
  label: 'Catalog',
  path: '/?filters[kind]=user',
  rows: 20,
  search: 'input[placeholder="Search"]',
  searchParam: 'filters[text]',
  debounceMs: 250,
  dataRequest: '/api/catalog/entities/by-query?limit=20&',
  dataSearchParam: 'fullTextFilterTerm',
};

/** This benchmark's own script and backend, for otherLoad. */
const SELF = 'bench/identity';
const otherLoad = () => otherLoadOf(SELF);
const ciRunning = () => ciRunningOf(SELF);

function newestMtime(path: string): number {
  if (!existsSync(path)) {
    return 0;
  }
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry !== 'node_modules' && entry !== 'dist') {
      newest = Math.max(newest, newestMtime(join(path, entry)));
    }
  }
  return newest;
}

/** Builds packages/app unless its dist is newer than everything it bundles. */
function ensureAppBuild() {
  const built = newestMtime(join(ROOT, 'packages/app/dist/index.html'));
  const sources = Math.max(
    ...[
      'packages/app/src',
      'packages/app/public',
      'packages/app/package.json',
      'plugins/identity/src',
      'plugins/identity-common/src',
      'yarn.lock',
    ].map(p => newestMtime(join(ROOT, p))),
  );
  if (process.env.BENCH_SKIP_BUILD === '1' || (built && built > sources)) {
    log('app: using the existing production build (packages/app/dist)');
    return;
  }
  log('app: yarn workspace app build');
  const result = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error('yarn workspace app build failed');
  }
}

/** The index refresh interval of this run, and where it comes from. */
function refreshInterval(): string {
  if (REFRESH_INTERVAL) {
    return `${REFRESH_INTERVAL} (BENCH_REFRESH_INTERVAL; refreshes triggered by the script while ingesting, none in the background while measuring)`;
  }
  const match =
    /^identity:\n {2}refresh:\n {4}interval: \{ seconds: (\d+) \}/m.exec(
      readFileSync(join(ROOT, 'app-config.yaml'), 'utf8'),
    );
  return match ? `every ${match[1]} s (app-config.yaml)` : 'as configured';
}

async function main() {
  // Found missing only after ingesting, the browser would cost a whole run.
  if (!existsSync(chromiumPath())) {
    throw new Error(
      `No browser at ${chromiumPath()}: run scripts/ensure-services.sh (it installs Debian's chromium), or set CHROMIUM_PATH`,
    );
  }
  mkdirSync(RESULTS, { recursive: true });
  const startedAt = new Date();
  const org = await loadOrg(ORG_DIR, {
    users: USERS,
    groups: GROUPS,
    seed: SEED,
  });
  ensureAppBuild();

  const random = seededRandom(Number(SEED) || 1);
  const apiTerms = searchTerms(org, 40, random);
  const pageTerms = searchTerms(org, PAGE_N, random);
  const groupRef = (name: string) => `group:default/${name}`;

  const ciAtStart = ciRunning();
  let database = 'SQLite in memory';
  let catalogReused = false;
  const organisation = `${relative(
    ROOT,
    ORG_DIR,
  )} --users ${USERS} --groups ${GROUPS} --seed ${SEED}\n`;
  ({ database, catalogReused } = await prepareBenchStorage(
    STORAGE,
    organisation,
  ));
  log(
    `backend: packages/backend on :${PORT}, NODE_ENV=production, ${database}, ${relative(
      ROOT,
      ORG_DIR,
    )}${SQLITE_WORKAROUND ? ', SQLite insert workaround preloaded' : ''}`,
  );
  const backend = await startBackend({
    root: ROOT,
    port: PORT,
    orgDir: ORG_DIR,
    locations: org.files,
    readHost: `localhost:${FRESH_PORT}`,
    refreshInterval: REFRESH_INTERVAL,
    token: TOKEN,
    logFile: join(RESULTS, 'identity-bench-backend.log'),
    sqliteWorkaround: SQLITE_WORKAROUND,
    dbDir: DB_DIR,
    postgres: PG,
  });
  const stop = async () => {
    await backend.stop();
  };
  // Interrupted or killed (Ctrl-C, `kill`, a closed terminal): stop the
  // backend too, or it keeps the port and the next run cannot start.
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => {
      stop().finally(() => process.exit(code));
    });
  }

  let browser: Awaited<ReturnType<typeof launch>>['browser'] | undefined;
  try {
    log(`backend ready after ${Date.now() - backend.startedAt} ms; ingesting`);
    if (catalogReused) {
      // Users an interrupted freshness check left in the kept catalog.
      const removed = await removeFreshnessLocations(
        backend.baseUrl,
        await signIn(backend.baseUrl),
        FRESH_PORT,
      );
      if (removed) {
        log(`deleted ${removed} locations an earlier freshness check left`);
      }
    }
    const ingestion = await waitForIngestion(backend, {
      users: USERS,
      groups: GROUPS,
      token: TOKEN,
      timeoutMin: INGEST_TIMEOUT_MIN,
      triggerRefreshes: Boolean(REFRESH_INTERVAL),
    });
    markBenchCatalogComplete(STORAGE, organisation);
    const ingestRefreshes = [...backend.events.refreshesWithChanges];
    log(
      `ingested: catalog complete after ${ms(
        ingestion.catalogMs,
      )}, identity index complete after ${ms(
        ingestion.indexMs,
      )}, quiet after ${ms(ingestion.quietMs)}`,
    );
    if (PG) {
      const vacuumed = await vacuumAnalyze(PG);
      log(vacuumed);
      database = `${database}; ${vacuumed}`;
    }
    const loadBefore = await waitForQuietMachine(SELF, WAIT_QUIET_MIN);
    const idleCpu = await cpuPercent(backend.child.pid!, 20_000);
    log(`backend CPU while idle (20 s): ${idleCpu.toFixed(0)}% of one core`);

    const base = backend.baseUrl;
    const idleRefreshes = await timeIdleRefreshes(
      base,
      TOKEN,
      6,
      REFRESH_INTERVAL ? () => triggerRefreshWith(base, TOKEN) : undefined,
    );
    log(
      `index refreshes with nothing changed: ${idleRefreshes
        .map(ms)
        .join(', ')}`,
    );
    const token = await signIn(base);
    const total = API_N + API_WARMUP;
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];

    // ---- API -------------------------------------------------------------
    const api: BenchResult['api'] = {};
    const run = async (
      key: string,
      label: string,
      urls: string[],
      w = API_WARMUP,
    ) => {
      log(`API: ${label}`);
      api[key] = { label, ...(await timeRequests(urls, token, w)) };
    };
    await run(
      'usersSearchGroup',
      'identity users ?q=&group=&limit=50',
      Array.from({ length: total }, (_, i) => {
        const params = new URLSearchParams({
          q: apiTerms[i % apiTerms.length],
          group: groupRef(pick(org.groups).name),
          limit: '50',
        });
        return `${base}/api/identity/users?${params}`;
      }),
    );
    await run(
      'summary',
      'identity summary',
      Array(total).fill(`${base}/api/identity/summary`),
    );
    await run(
      'usersFirstPage',
      'identity users ?limit=50 (page load)',
      Array(total).fill(`${base}/api/identity/users?offset=0&limit=50`),
    );
    const few = Math.max(10, Math.round(API_N / 4));
    await run(
      'usersSearchOrg',
      'identity users ?q=&group=org (whole company)',
      Array.from({ length: few + 5 }, (_, i) => {
        const params = new URLSearchParams({
          q: apiTerms[i % apiTerms.length],
          group: groupRef('org'),
          limit: '50',
        });
        return `${base}/api/identity/users?${params}`;
      }),
      5,
    );
    await run(
      'groups',
      'identity groups (tree, page load)',
      Array(few + 5).fill(`${base}/api/identity/groups`),
      5,
    );
    const fullText = (term: string) =>
      `fullTextFilterTerm=${encodeURIComponent(
        term,
      )}&fullTextFilterFields=metadata.name,metadata.title,spec.profile.displayName,spec.target,spec.targets`;
    await run(
      'catalogSearch',
      'catalog by-query kind=user, search, limit=20',
      Array.from(
        { length: total },
        (_, i) =>
          `${base}/api/catalog/entities/by-query?limit=20&orderField=metadata.name%2Casc&filter=kind%3Duser&totalItems=exclude&${fullText(
            apiTerms[i % apiTerms.length],
          )}`,
      ),
    );
    await run(
      'catalogSearchCount',
      'catalog by-query kind=user, search, count',
      Array.from(
        { length: total },
        (_, i) =>
          `${base}/api/catalog/entities/by-query?limit=0&orderField=metadata.name%2Casc&filter=kind%3Duser&${fullText(
            apiTerms[i % apiTerms.length],
          )}`,
      ),
    );
    await run(
      'catalogFirstPage',
      'catalog by-query kind=user, limit=20 (page load)',
      Array(total).fill(
        `${base}/api/catalog/entities/by-query?limit=20&orderField=metadata.name%2Casc&filter=kind%3Duser&totalItems=exclude`,
      ),
    );

    log('API: CSV export of all users');
    await timeCsvExport(`${base}/api/identity/export.csv`, token);
    const csv: CsvRun[] = [];
    for (let i = 0; i < CSV_RUNS; i++) {
      csv.push(await timeCsvExport(`${base}/api/identity/export.csv`, token));
    }

    // ---- page --------------------------------------------------------------
    const launched = await launch();
    browser = launched.browser;
    const chromiumVersion = browser.version();
    await prepareContext(launched.context, [IDENTITY, CATALOG]);
    log(`page: Chromium ${chromiumVersion}, first loads (cold cache)`);
    const cold = {
      identity: await measureNavigation(launched.context, base, IDENTITY),
      catalog: await measureNavigation(launched.context, base, CATALOG),
    };
    const nav: Record<'identity' | 'catalog', NavigationSample[]> = {
      identity: [],
      catalog: [],
    };
    log(`page: ${PAGE_N} navigations each, alternating`);
    for (let i = 0; i < PAGE_N; i++) {
      for (const target of [IDENTITY, CATALOG]) {
        nav[target.key].push(
          await measureNavigation(launched.context, base, target),
        );
      }
    }
    const search: Record<'identity' | 'catalog', SearchSample[]> = {
      identity: [],
      catalog: [],
    };
    log(`page: ${pageTerms.length} searches each, alternating`);
    for (const term of pageTerms) {
      for (const target of [IDENTITY, CATALOG]) {
        search[target.key].push(
          await measureSearch(launched.context, base, target, term),
        );
      }
    }
    await browser.close();
    browser = undefined;

    // The same navigations in a browser whose profile is on disk, as a
    // returning user's is: its cache of compiled scripts spares the parse
    // and compile that every tab above pays.
    const profileDir = mkdtempSync(
      join(os.tmpdir(), 'identity-bench-profile-'),
    );
    const profile = await launchWithProfile(profileDir);
    const navigationWithProfile: Record<
      'identity' | 'catalog',
      NavigationSample[]
    > = { identity: [], catalog: [] };
    try {
      await prepareContext(profile, [IDENTITY, CATALOG]);
      log(
        `page: browser profile on disk, ${PROFILE_WARMUP} loads each to fill its caches, then ${PAGE_N} navigations each, alternating`,
      );
      for (let i = 0; i < PROFILE_WARMUP; i++) {
        for (const target of [IDENTITY, CATALOG]) {
          await measureNavigation(profile, base, target);
        }
      }
      for (let i = 0; i < PAGE_N; i++) {
        for (const target of [IDENTITY, CATALOG]) {
          navigationWithProfile[target.key].push(
            await measureNavigation(profile, base, target),
          );
        }
      }
    } finally {
      await profile.close().catch(() => {});
      const codeCache = join(profileDir, 'Default', 'Code Cache', 'js');
      log(
        `page: the profile's V8 code cache holds ${
          existsSync(codeCache) ? readdirSync(codeCache).length : 0
        } files`,
      );
      rmSync(profileDir, { recursive: true, force: true });
    }

    const measuringRefreshes = backend.events.refreshesWithChanges.slice(
      ingestRefreshes.length,
    );

    // ---- freshness (last: it adds users) ---------------------------------
    if (!REFRESH_INTERVAL) {
      log('freshness: new users through new url locations');
    }
    const freshness = REFRESH_INTERVAL
      ? []
      : await timeFreshness({
          baseUrl: base,
          port: FRESH_PORT,
          userToken: await signIn(base),
          readToken: TOKEN,
          group: org.groups.find(g => g.type === 'squad')?.name ?? 'org',
          runs: 3,
        });

    // ---- report ------------------------------------------------------------
    const result: BenchResult = {
      startedAt: startedAt.toISOString(),
      data: {
        users: USERS,
        groups: GROUPS,
        seed: SEED,
        dir: relative(ROOT, ORG_DIR),
      },
      machine: {
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        platform: `${os.platform()} ${os.release()}`,
        chromium: chromiumVersion,
      },
      setup: {
        port: PORT,
        signedInAs: ADA,
        refreshInterval: refreshInterval(),
        database,
      },
      ci: { atStart: ciAtStart, atEnd: ciRunning() },
      otherLoad: { beforeMeasuring: loadBefore, atEnd: otherLoad() },
      sqliteWorkaround: SQLITE_WORKAROUND
        ? { rewrites: backend.events.sqliteRewrites }
        : false,
      ingestion: { ...ingestion, refreshesWithChanges: ingestRefreshes },
      idleCpuPercent: idleCpu,
      refreshesWhileMeasuring: measuringRefreshes,
      refreshErrors: backend.events.refreshErrors.length,
      idleRefreshMs: idleRefreshes,
      freshness,
      apiWarmup: API_WARMUP,
      api,
      csv,
      page: {
        targets: { identity: IDENTITY, catalog: CATALOG },
        cold,
        navigation: nav,
        navigationWithProfile,
        searchTerms: pageTerms,
        search,
      },
    };
    const evaluated = printReport(result);
    const json = `${JSON.stringify(
      { ...result, ...evaluated, goals: GOALS },
      null,
      2,
    )}\n`;
    const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
    const file = join(RESULTS, `identity-${stamp}.json`);
    writeFileSync(file, json);
    writeFileSync(join(RESULTS, 'identity-latest.json'), json);
    console.log(`\nJSON: ${relative(ROOT, file)}`);
  } finally {
    if (browser) {
      await browser.close().catch(() => {});
    }
    await stop();
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
