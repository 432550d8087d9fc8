import { CsvRun } from '../identity/apiBench';
import { ms, printTable, summarize, Summary } from '../identity/stats';
import { ConsistencyResult } from './consistency';

export const GOALS = {
  accessUsersP95: 50,
  whoCanFirstPageP95: 300,
  whoCanCsvTotal: 10_000,
  dryRun: 10_000,
  /** bench/identity's goals for the page's own endpoints. */
  baselineP95: 100,
};

/** One measured request of a round. */
export interface Sample {
  key: 'accessUsers' | 'whoCan' | 'users' | 'summary';
  /** The sampled user's kind (accessUsers) or the permission (whoCan). */
  group?: string;
  /** The client's time, from the call to the last byte. */
  ms: number;
  /**
   * The backend's time from the request reaching the identity router to its
   * headers (Server-Timing), when it sent one: what the goals name.
   */
  serverMs?: number;
}

/** Everything a run measured, as written to bench/results/. */
export interface AccessBenchResult {
  startedAt: string;
  data: { users: number; groups: number; seed: string; dir: string };
  machine: {
    node: string;
    cpus: number;
    cpuModel?: string;
    memoryGb: number;
    platform: string;
  };
  setup: {
    port: number;
    signedInAs: string;
    database: string;
    policy: string;
    sample: number;
    sampleKinds: Record<string, number>;
    whoCanPageSize: number;
    /** The Server-Timing header of /access/users, if the backend sent one. */
    serverTiming: string | null;
  };
  ci: { atStart: boolean; atEnd: boolean };
  otherLoad: { beforeMeasuring: string[]; atEnd: string[] };
  ingestion: { catalogMs: number; indexMs: number; quietMs: number };
  idleCpuPercent: number;
  refreshErrors: number;
  apiWarmup: number;
  apiRounds: number;
  samples: Sample[];
  /** Requests that failed or answered unexpectedly. */
  errors: string[];
  /** totalItems of each guarded permission's who-can. */
  whoCanTotals: Record<string, number>;
  csv: { permission: string; totalItems: number; runs: CsvRun[] };
  dryRun: {
    change: string;
    runs: Array<{ ms: number; status: number }>;
    summary: Summary;
    changes: Array<{ permission: string; gains: number; losses: number }>;
    notSimulated: string[];
  };
  consistency: ConsistencyResult;
}

const yesNo = (met: boolean) => (met ? 'yes' : 'NO');
const count = (n: number) => n.toLocaleString('en-US');

/** Prints the figures and whether each goal is met; returns the verdicts. */
export function printReport(r: AccessBenchResult) {
  const samplesOf = (key: Sample['key'], group?: string) =>
    r.samples.filter(
      s => s.key === key && (group === undefined || s.group === group),
    );
  const of = (key: Sample['key'], group?: string) =>
    summarize(samplesOf(key, group).map(s => s.ms));
  const serverTimed = r.samples.every(s => s.serverMs !== undefined);
  const serverOf = (key: Sample['key'], group?: string) =>
    summarize(samplesOf(key, group).map(s => s.serverMs ?? NaN));
  const row = (
    label: string,
    s: Summary,
    goal = '',
    met: boolean | undefined = undefined,
  ) => [
    label,
    String(s.n),
    ms(s.p50),
    ms(s.p95),
    ms(s.p99),
    ms(s.max),
    goal,
    met === undefined ? '' : yesNo(met),
  ];

  // The goals are server side: judged on Server-Timing where the backend
  // sent it, else (older backends) on the client's times.
  const judged = serverTimed ? serverOf : of;
  const accessUsers = judged('accessUsers');
  const whoCan = judged('whoCan');
  const users = judged('users');
  const summary = judged('summary');
  const csvWorst = Math.max(...r.csv.runs.map(c => c.totalMs));
  const csvOk = r.csv.runs.every(c => c.status === 200);
  const dryRunWorst = r.dryRun.summary.max;
  const dryRunOk = r.dryRun.runs.every(c => c.status === 200);
  const c = r.consistency;
  const goals = {
    accessUsers: accessUsers.p95 < GOALS.accessUsersP95,
    whoCanFirstPage: whoCan.p95 < GOALS.whoCanFirstPageP95,
    whoCanCsv: csvOk && csvWorst < GOALS.whoCanCsvTotal,
    dryRun: dryRunOk && dryRunWorst < GOALS.dryRun,
    baselineUsers: users.p95 < GOALS.baselineP95,
    baselineSummary: summary.p95 < GOALS.baselineP95,
    consistency: c.differenceCount === 0 && c.whoCanDifferenceCount === 0,
  };

  console.log(
    `\nEffective access benchmark (bench/access), ${r.startedAt.slice(0, 19)}Z`,
  );
  console.log(
    `Data: ${count(r.data.users)} users, ${count(r.data.groups)} groups (${
      r.data.dir
    }, seed ${r.data.seed})`,
  );
  console.log(
    `Machine: ${r.machine.cpus} CPUs (${r.machine.cpuModel}), ${r.machine.memoryGb} GB, Node ${r.machine.node}, ${r.machine.platform}`,
  );
  console.log(`Backend: ${r.setup.database}`);
  console.log(
    `Policy: ${r.setup.policy}; guarded: ${c.permissions.join(', ')}`,
  );
  console.log(
    `Ingestion: catalog complete after ${ms(
      r.ingestion.catalogMs,
    )}, identity index after ${ms(r.ingestion.indexMs)}, quiet after ${ms(
      r.ingestion.quietMs,
    )}; backend idle CPU ${r.idleCpuPercent.toFixed(
      0,
    )}% of one core; index refresh errors: ${r.refreshErrors}`,
  );
  console.log(
    `Other load before measuring: ${
      r.otherLoad.beforeMeasuring.join('; ') || 'none'
    }; at the end: ${r.otherLoad.atEnd.join('; ') || 'none'}`,
  );

  console.log(
    `\nAPI: ${r.apiRounds} rounds after ${
      r.apiWarmup
    } warm-up, one client on loopback; each round sends one request of each kind in turn, as Ada (admin). ${
      serverTimed
        ? "Times are the backend's (Server-Timing total: from the request reaching the identity router to its headers); the client's, to the last byte, follow in a second table."
        : "Times are the client's, from the call to the last byte: the backend sent no Server-Timing header."
    }`,
  );
  const kinds = Object.entries(r.setup.sampleKinds)
    .filter(([, n]) => n)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const rows = [
    row(
      `GET /access/users/:ns/:name, ${r.setup.sample} users (${kinds})`,
      accessUsers,
      `p95 < ${GOALS.accessUsersP95} ms`,
      goals.accessUsers,
    ),
    ...Object.keys(r.setup.sampleKinds)
      .filter(k => r.setup.sampleKinds[k])
      .map(k => row(`  ${k}`, judged('accessUsers', k))),
    row(
      `GET /access/who-can/:permission?limit=${r.setup.whoCanPageSize}, first page, ${c.permissions.length} permissions`,
      whoCan,
      `p95 < ${GOALS.whoCanFirstPageP95} ms`,
      goals.whoCanFirstPage,
    ),
    ...c.permissions.map(p =>
      row(
        `  ${p} (${count(r.whoCanTotals[p] ?? 0)} users)`,
        judged('whoCan', p),
      ),
    ),
    row(
      'baseline: GET /users?offset=0&limit=50 (page load)',
      users,
      `p95 < ${GOALS.baselineP95} ms`,
      goals.baselineUsers,
    ),
    row(
      'baseline: GET /summary',
      summary,
      `p95 < ${GOALS.baselineP95} ms`,
      goals.baselineSummary,
    ),
  ];
  printTable(['request', 'n', 'p50', 'p95', 'p99', 'max', 'goal', 'met'], rows);
  if (serverTimed) {
    console.log(
      '\nThe same requests, client side (loopback, from the call to the last byte; not what the goals name):',
    );
    printTable(
      ['request', 'n', 'p50', 'p95', 'p99', 'max'],
      (['accessUsers', 'whoCan', 'users', 'summary'] as const).map(key =>
        row(key, of(key)).slice(0, 6),
      ),
    );
  }
  if (r.errors.length) {
    console.log(`Errors (${r.errors.length}), first: ${r.errors[0]}`);
  }

  console.log(
    `\nWho-can CSV of the largest permission, ${r.csv.permission} (${count(
      r.csv.totalItems,
    )} users), after one warm-up; goal < ${ms(GOALS.whoCanCsvTotal)}: ${yesNo(
      goals.whoCanCsv,
    )}`,
  );
  printTable(
    ['run', 'status', 'first byte', 'total', 'bytes', 'rows', 'users'],
    r.csv.runs.map((run, i) => [
      String(i + 1),
      String(run.status),
      ms(run.ttfbMs),
      ms(run.totalMs),
      count(run.bytes),
      count(run.records),
      count(run.users),
    ]),
  );

  console.log(
    `\nDry-run, ${
      r.dryRun.change
    }, over the whole organisation, after one warm-up; goal < ${ms(
      GOALS.dryRun,
    )}: ${yesNo(goals.dryRun)}`,
  );
  console.log(
    `  runs: ${r.dryRun.runs
      .map(d => `${ms(d.ms)}${d.status === 200 ? '' : ` (${d.status})`}`)
      .join(', ')}; changes: ${
      r.dryRun.changes
        .map(
          ch =>
            `${ch.permission} +${count(ch.gains)} -${count(ch.losses)} users`,
        )
        .join(', ') || 'none'
    }; not simulated: ${r.dryRun.notSimulated.join(', ') || 'nothing'}`,
  );

  console.log(
    `\nConsistency over the whole organisation: /access/users against POST /api/permission/authorize with each user's own token`,
  );
  if (c.users < c.usersToCheck) {
    console.log(
      `  STOPPED EARLY (BENCH_CONSISTENCY_MAX_MIN): ${count(
        c.users,
      )} of ${count(
        c.usersToCheck,
      )} users checked, in a seeded random order; the who-can comparison covers those users only`,
    );
  }
  console.log(
    `  (user, permission) pairs compared: ${count(c.pairs)} (${count(
      c.users,
    )} users x ${
      c.permissions.length
    } guarded permissions); differences: ${count(c.differenceCount)}`,
  );
  console.log(
    `  /access/users said: ${Object.entries(c.explained)
      .map(([k, n]) => `${k} ${count(n)}`)
      .join(', ')}; conditional (an owner rule) compared as deny, asked about ${
      c.resourceRef
    }, which nobody owns; users not found: ${c.usersNotFound}`,
  );
  console.log(
    `  who-can CSV against the users authorize allowed: ${
      c.permissions.length
    } permissions, differences: ${count(c.whoCanDifferenceCount)}`,
  );
  printTable(
    ['permission', 'CSV lists', 'authorize allows', 'differences'],
    c.whoCan.map(w => [
      w.permission,
      count(w.listed),
      count(w.allowed),
      String(w.differences),
    ]),
  );
  console.log(
    `  took ${ms(c.durationMs)}, ${
      c.concurrency
    } users at once; per user: demo sign-in p50 ${ms(c.signInMs.p50)} p95 ${ms(
      c.signInMs.p95,
    )}; /access/users p50 ${ms(c.accessUsersMs.p50)} p95 ${ms(
      c.accessUsersMs.p95,
    )} p99 ${ms(c.accessUsersMs.p99)}; authorize (${
      c.permissions.length
    } items) p50 ${ms(c.authorizeMs.p50)} p95 ${ms(c.authorizeMs.p95)}`,
  );
  if (c.differences.length) {
    console.log(`  first differences:`);
    for (const d of c.differences) {
      console.log(
        `    ${d.userRef} ${d.permission}: /access/users ${d.explained}${
          d.decidedBy ? ` (${d.decidedBy})` : ''
        }, authorize ${d.authorize}`,
      );
    }
  }
  for (const w of c.whoCan.filter(x => x.examples.length)) {
    console.log(`  ${w.permission}: ${w.examples.join('; ')}`);
  }

  const met = Object.values(goals).filter(Boolean).length;
  console.log(
    `\nGoals met: ${met} of ${Object.keys(goals).length} (${Object.entries(
      goals,
    )
      .map(([k, v]) => `${k} ${yesNo(v)}`)
      .join(', ')})`,
  );
  return { goalsMet: goals };
}
