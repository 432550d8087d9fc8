import { CsvRun, Timed } from './apiBench';
import { FreshnessRun } from './freshness';
import { NavigationSample, PageUnderTest, SearchSample } from './pageBench';
import { ms, printTable, summarize, Summary } from './stats';

export const GOALS = {
  usersP95: 100,
  summaryP95: 100,
  csvTotal: 10_000,
  navigation: 2000,
  searchSettle: 300,
  /** plugins/identity-backend/README.md, "How far behind the catalog". */
  freshness: 30_000,
};

type ByPage<T> = Record<'identity' | 'catalog', T>;

/** Everything a run measured, as written to bench/results/. */
export interface BenchResult {
  startedAt: string;
  data: { users: number; groups: number; seed: string; dir: string };
  machine: {
    node: string;
    cpus: number;
    cpuModel?: string;
    memoryGb: number;
    platform: string;
    chromium: string;
  };
  setup: {
    port: number;
    signedInAs: string;
    /** identity.refresh.interval, and where it comes from. */
    refreshInterval: string;
    /** SQLite in memory, or the files of BENCH_DB_DIR. */
    database: string;
  };
  ci: { atStart: boolean; atEnd: boolean };
  /** CI runs or other benchmarks seen (`pgrep -af` lines). */
  otherLoad: { beforeMeasuring: string[]; atEnd: string[] };
  sqliteWorkaround: { rewrites: number } | false;
  ingestion: {
    catalogMs: number;
    indexMs: number;
    quietMs: number;
    refreshesWithChanges: number[];
  };
  idleCpuPercent: number;
  refreshesWhileMeasuring: number[];
  refreshErrors: number;
  /** Index refreshes with nothing to do, each from start to end. */
  idleRefreshMs: number[];
  freshness: FreshnessRun[];
  apiWarmup: number;
  api: Record<string, Timed & { label: string }>;
  csv: CsvRun[];
  page: {
    targets: ByPage<PageUnderTest>;
    cold: ByPage<NavigationSample>;
    navigation: ByPage<NavigationSample[]>;
    /** The same, in a browser with a profile on disk (older runs: none). */
    navigationWithProfile?: ByPage<NavigationSample[]>;
    searchTerms: string[];
    search: ByPage<SearchSample[]>;
  };
}

const yesNo = (met: boolean) => (met ? 'yes' : 'NO');

/** Prints the figures and whether each goal is met; returns both. */
export function printReport(r: BenchResult) {
  const { identity, catalog } = r.page.targets;
  const nav = {
    identity: summarize(r.page.navigation.identity.map(s => s.shownMs)),
    catalog: summarize(r.page.navigation.catalog.map(s => s.shownMs)),
  };
  const withProfile = r.page.navigationWithProfile;
  const navProfile = withProfile && {
    identity: summarize(withProfile.identity.map(s => s.shownMs)),
    catalog: summarize(withProfile.catalog.map(s => s.shownMs)),
  };
  const search = {
    identity: summarize(r.page.search.identity.map(s => s.settleMs)),
    catalog: summarize(r.page.search.catalog.map(s => s.settleMs)),
  };
  const csvTotals = summarize(r.csv.map(c => c.totalMs));
  const csvOk = (c: CsvRun) => c.status === 200 && c.users === r.data.users;
  const met = {
    usersP95: r.api.usersSearchGroup.summary.p95 < GOALS.usersP95,
    summaryP95: r.api.summary.summary.p95 < GOALS.summaryP95,
    csvTotal: r.csv.every(csvOk) && csvTotals.max < GOALS.csvTotal,
    navigation: nav.identity.p95 < GOALS.navigation,
    navigationWithProfile: navProfile
      ? navProfile.identity.p95 < GOALS.navigation
      : undefined,
    searchSettle: search.identity.p95 < GOALS.searchSettle,
    freshness: r.freshness.length
      ? r.freshness.every(f => f.indexMs < GOALS.freshness)
      : undefined,
  };
  const refreshes = r.ingestion.refreshesWithChanges;

  console.log('');
  console.log(`Identity page benchmark, ${r.startedAt} (yarn bench:identity)`);
  console.log(
    `Data: ${r.data.users} users, ${r.data.groups} groups, scripts/generate-org.mjs --seed ${r.data.seed} (${r.data.dir})`,
  );
  console.log(
    `Machine: Node ${r.machine.node}, ${r.machine.cpus} CPUs (${
      r.machine.cpuModel ?? '?'
    }), ${r.machine.memoryGb} GB RAM, ${r.machine.platform}; Chromium ${
      r.machine.chromium
    } headless`,
  );
  console.log(
    `Backend: packages/backend, app-config.yaml + bench/identity/app-config.bench.yaml, NODE_ENV=production, ${r.setup.database}, identity policy on (signed in as ${r.setup.signedInAs}), index refresh ${r.setup.refreshInterval}; app: production build served by the backend on :${r.setup.port}`,
  );
  console.log(
    `Ingestion (info): catalog complete after ${ms(
      r.ingestion.catalogMs,
    )}, identity index complete after ${ms(
      r.ingestion.indexMs,
    )}, quiet after ${ms(r.ingestion.quietMs)}; ${
      refreshes.length
    } index refreshes with changes, longest ${ms(Math.max(0, ...refreshes))}`,
  );
  console.log(
    `Backend CPU while idle: ${r.idleCpuPercent.toFixed(
      0,
    )}% of one core; index refreshes with changes while measuring: ${
      r.refreshesWhileMeasuring.length
    }; refresh errors logged: ${r.refreshErrors}`,
  );
  console.log(
    `SQLite insert workaround: ${
      r.sqliteWorkaround
        ? `${r.sqliteWorkaround.rewrites} statements rewritten (bench/identity/sqliteCompoundInsert.cjs)`
        : 'off'
    }`,
  );
  const load = (lines: string[]) =>
    lines.length ? lines.map(l => l.slice(0, 100)).join('; ') : 'none';
  console.log(
    `CI run (ci-check) in progress: ${r.ci.atStart ? 'yes' : 'no'} at start, ${
      r.ci.atEnd ? 'yes' : 'no'
    } at end; other load when measuring began: ${load(
      r.otherLoad.beforeMeasuring,
    )}; at the end: ${load(r.otherLoad.atEnd)}`,
  );

  console.log(
    `\nAPI: one client, sequential, Ada's token; n requests after ${r.apiWarmup} warm-up (5 for the shorter rows)`,
  );
  const apiGoal: Record<string, [string, boolean] | undefined> = {
    usersSearchGroup: [`p95 < ${GOALS.usersP95} ms`, met.usersP95],
    summary: [`p95 < ${GOALS.summaryP95} ms`, met.summaryP95],
  };
  printTable(
    [
      'request',
      'n',
      'p50',
      'p95',
      'p99',
      'max',
      'matched p50 (range)',
      'goal',
      'met',
    ],
    Object.entries(r.api).map(([key, t]) => {
      const goal = apiGoal[key];
      return [
        t.label + (t.errors ? ` (${t.errors} errors)` : ''),
        String(t.summary.n),
        ms(t.summary.p50),
        ms(t.summary.p95),
        ms(t.summary.p99),
        ms(t.summary.max),
        t.matched ? `${t.matched.p50} (${t.matched.min}-${t.matched.max})` : '',
        goal?.[0] ?? 'info',
        goal ? yesNo(goal[1]) : '',
      ];
    }),
  );

  console.log(
    `\nCSV export of all users (GET /api/identity/export.csv), ${r.csv.length} runs after 1 warm-up; a row per user and group membership`,
  );
  printTable(
    [
      'run',
      'status',
      'first byte',
      'total',
      'MB',
      'rows',
      'users',
      'goal',
      'met',
    ],
    r.csv.map((c, i) => [
      String(i + 1),
      String(c.status),
      ms(c.ttfbMs),
      ms(c.totalMs),
      (c.bytes / 2 ** 20).toFixed(1),
      String(c.records),
      String(c.users),
      `< ${GOALS.csvTotal / 1000} s`,
      yesNo(csvOk(c) && c.totalMs < GOALS.csvTotal),
    ]),
  );

  console.log(
    `\nPage, Chromium: navigation in a fresh tab of the signed-in browser (an in-memory context, as Playwright's default: HTTP cache, no cache of compiled scripts; and a profile on disk), from navigation start to the frame showing the first page of rows; search typed at 100 ms a key, from the last keystroke to the table's last change (then quiet 1.5 s, no progress bar)`,
  );
  const searchNote = (target: PageUnderTest, samples: SearchSample[]) => {
    const rows = summarize(samples.map(s => s.rows));
    const mismatched = samples.reduce((s, x) => s + x.mismatched, 0);
    return `includes ${target.debounceMs} ms debounce; rows ${rows.min}-${
      rows.max
    }${mismatched ? `, ${mismatched} rows not matching!` : ''}`;
  };
  const pageRow = (
    target: PageUnderTest,
    what: string,
    s: Summary,
    goal: string,
    ok: boolean | undefined,
    note: string,
  ) => [
    `${target.label} ${target.path}`,
    what,
    String(s.n),
    ms(s.p50),
    ms(s.p95),
    ms(s.max),
    goal,
    ok === undefined ? '' : yesNo(ok),
    note,
  ];
  printTable(
    ['page', 'measurement', 'n', 'median', 'p95', 'max', 'goal', 'met', 'note'],
    [
      pageRow(
        identity,
        `first ${identity.rows} rows shown`,
        nav.identity,
        `< ${GOALS.navigation / 1000} s`,
        met.navigation,
        `cold first load ${ms(r.page.cold.identity.shownMs)}`,
      ),
      pageRow(
        catalog,
        `first ${catalog.rows} rows shown`,
        nav.catalog,
        'compare',
        undefined,
        `cold first load ${ms(r.page.cold.catalog.shownMs)}`,
      ),
      ...(navProfile
        ? [
            pageRow(
              identity,
              `first ${identity.rows} rows shown, browser profile on disk`,
              navProfile.identity,
              `< ${GOALS.navigation / 1000} s`,
              met.navigationWithProfile,
              'cached compiled scripts (returning user)',
            ),
            pageRow(
              catalog,
              `first ${catalog.rows} rows shown, browser profile on disk`,
              navProfile.catalog,
              'compare',
              undefined,
              'cached compiled scripts (returning user)',
            ),
          ]
        : []),
      pageRow(
        identity,
        'search settled',
        search.identity,
        `< ${GOALS.searchSettle} ms`,
        met.searchSettle,
        searchNote(identity, r.page.search.identity),
      ),
      pageRow(
        catalog,
        'search settled',
        search.catalog,
        'compare',
        undefined,
        searchNote(catalog, r.page.search.catalog),
      ),
    ],
  );
  console.log(
    `Search terms: ${r.page.searchTerms.map(t => `"${t}"`).join(', ')}`,
  );

  const med = (values: Array<number | undefined>) =>
    ms(summarize(values.filter((v): v is number => v !== undefined)).p50);
  const span = (
    samples: Array<{ start: number; end: number } | undefined>,
  ): string =>
    `${med(samples.map(x => x?.start))} - ${med(samples.map(x => x?.end))}`;
  console.log(
    '\nWhere the time goes (medians; navigation: from navigation start; search: from the last keystroke)',
  );
  printTable(
    [
      'page',
      'DOMContentLoaded',
      'sign-in request',
      'permission request',
      'rows request',
      'rows in DOM',
      'rows shown',
    ],
    [identity, catalog].map(target => {
      const samples = r.page.navigation[target.key];
      return [
        target.label,
        med(samples.map(x => x.domContentLoadedMs)),
        span(samples.map(x => x.signIn)),
        span(samples.map(x => x.permission)),
        span(samples.map(x => x.data)),
        med(samples.map(x => x.domMs)),
        med(samples.map(x => x.shownMs)),
      ];
    }),
  );
  printTable(
    [
      'page',
      'debounce',
      'requests per search typed',
      'search request sent',
      'response in',
      'settled',
    ],
    [identity, catalog].map(target => {
      const samples = r.page.search[target.key];
      const requests = summarize(
        samples.flatMap(x => (x.requests === undefined ? [] : [x.requests])),
      );
      return [
        target.label,
        `${target.debounceMs} ms`,
        requests.n
          ? `median ${requests.p50}, ${requests.min}-${requests.max}`
          : '',
        med(samples.map(x => x.request?.start)),
        med(samples.map(x => x.request?.end)),
        med(samples.map(x => x.settleMs)),
      ];
    }),
  );

  const slowest = [...r.page.search.identity]
    .sort((a, b) => b.settleMs - a.settleMs)
    .slice(0, 3);
  console.log(
    `\nSlowest ${identity.label} searches (ms from the last keystroke; main thread: tasks over 50 ms until settled; URL writes: from the first keystroke on)`,
  );
  printTable(
    [
      'term',
      'settled',
      'request',
      'rows after response',
      'main thread busy',
      'URL writes at',
    ],
    slowest.map(x => [
      `"${x.term}"`,
      ms(x.settleMs),
      x.request ? `${ms(x.request.start)} - ${ms(x.request.end)}` : '',
      x.request ? ms(x.settleMs - x.request.end) : '',
      x.longTasksMs === undefined ? '' : ms(x.longTasksMs),
      x.urlWrites?.map(ms).join(', ') ?? '',
    ]),
  );

  const idle = summarize(r.idleRefreshMs);
  const changed = summarize(refreshes);
  console.log(
    `\nIndex freshness: a refresh with nothing changed (lists the etags of all users and groups) took median ${ms(
      idle.p50,
    )}, max ${ms(idle.max)} (n=${
      idle.n
    }); refreshes with changes during ingestion: median ${ms(
      changed.p50,
    )}, longest ${ms(changed.max)} (n=${changed.n})`,
  );
  if (r.freshness.length) {
    console.log(
      'A new user in a new url location, registered through the catalog API: time until each API has it (polled every 100 ms)',
    );
    printTable(
      [
        'run',
        'catalog has it',
        'identity API has it',
        'index behind catalog',
        'goal',
        'met',
      ],
      r.freshness.map((f, i) => [
        String(i + 1),
        ms(f.catalogMs),
        ms(f.indexMs),
        ms(f.indexMs - f.catalogMs),
        `< ${GOALS.freshness / 1000} s`,
        yesNo(f.indexMs < GOALS.freshness),
      ]),
    );
  } else {
    console.log('New users: not measured in this run.');
  }

  console.log('\nGoals');
  printTable(
    ['goal', 'figure', 'met'],
    [
      [
        'users query with search + group filter, p95 < 100 ms',
        ms(r.api.usersSearchGroup.summary.p95),
        yesNo(met.usersP95),
      ],
      [
        'summary, p95 < 100 ms',
        ms(r.api.summary.summary.p95),
        yesNo(met.summaryP95),
      ],
      [
        `CSV export of all ${r.data.users} users < 10 s (slowest of ${r.csv.length})`,
        ms(csvTotals.max),
        yesNo(met.csvTotal),
      ],
      [
        `navigation to the first ${identity.rows} rows shown < 2 s (p95), fresh tab of an in-memory browser context`,
        ms(nav.identity.p95),
        yesNo(met.navigation),
      ],
      ...(navProfile
        ? [
            [
              `navigation to the first ${identity.rows} rows shown < 2 s (p95), browser profile on disk`,
              ms(navProfile.identity.p95),
              yesNo(met.navigationWithProfile!),
            ],
          ]
        : []),
      [
        'search settles < 300 ms after the last keystroke (p95)',
        ms(search.identity.p95),
        yesNo(met.searchSettle),
      ],
      [
        'page at most 30 s behind the catalog (README; slowest new user)',
        met.freshness === undefined
          ? 'not measured'
          : ms(Math.max(...r.freshness.map(f => f.indexMs))),
        met.freshness === undefined ? '' : yesNo(met.freshness),
      ],
    ],
  );
  return {
    summaries: {
      navigation: nav,
      navigationWithProfile: navProfile,
      search,
      csvTotals,
    },
    met,
  };
}
