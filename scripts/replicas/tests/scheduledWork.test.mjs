// Scheduled work runs once per cluster, not once per replica, and survives
// the replica that ran it: the SCIM reconciliation (catalog module, task
// scim-reconciliation) and the Identity index refresh (identity plugin, task
// identity-index-refresh) are both global tasks of Backstage's scheduler,
// which claims each run with a lock row in the plugin's database.
//
// The runs are read from each replica's log as it is written: the
// reconciliation logs "SCIM reconciliation emitted N entities" at info, and
// the index refresh is audited as identity.index-refresh (severity low,
// written at info by the test-only config) when it begins and when it ends,
// so that the test also sees that no two of its runs overlap. The periods
// are the test-only config's (10 s and 5 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually,
  killReplica,
  logEntriesSince,
  logOffset,
  replicas,
  schedules,
  sleep,
  startReplica,
  watchLogs,
} from './harness.mjs';

const isIndexRefresh = e =>
  e.isAuditEvent === true && e.eventId === 'index-refresh';

const TASKS = {
  reconciliation: {
    seconds: schedules.reconcileSeconds,
    isRun: e =>
      typeof e.message === 'string' &&
      e.message.startsWith('SCIM reconciliation emitted'),
    // A failed reconciliation triggers its task again 30 s later: one run
    // more than the period's, by design.
    isRetry: e =>
      typeof e.message === 'string' &&
      e.message.startsWith('SCIM reconciliation') &&
      e.message.includes(', trying again in '),
  },
  indexRefresh: {
    seconds: schedules.indexRefreshSeconds,
    isRun: e => isIndexRefresh(e) && e.status === 'initiated',
    isRetry: () => false,
  },
};

function perReplica(runs) {
  return Object.fromEntries(
    replicas.map((_, i) => [
      `replica ${i + 1}`,
      runs.filter(r => r.replica === i + 1).length,
    ]),
  );
}

/**
 * The index refresh runs seen, each from its start to its end (audited
 * before the scheduler releases the run), per replica in log order. A run
 * still going when the watch ended has no end.
 */
function indexRefreshRuns(entries) {
  const runs = [];
  for (const e of entries.filter(isIndexRefresh)) {
    if (e.status === 'initiated') {
      runs.push({ replica: e.replica, start: e, end: undefined });
    } else {
      const run = runs.findLast(r => r.replica === e.replica && !r.end);
      if (run) {
        run.end = e;
      }
    }
  }
  return runs;
}

/**
 * How long a task whose lock a killed replica held may wait to run again:
 * the run's timeout, the janitor's period, one period, and 15 s of slack.
 */
function lockFreedWithinMs(periodSeconds) {
  return (
    (periodSeconds + schedules.timeoutSeconds + schedules.janitorSeconds + 15) *
    1000
  );
}

/** Whether run `a` surely started before run `b` ended. */
function startedBeforeEnd(a, b) {
  return !b.end || a.start.by < b.end.after;
}

test('scheduled work runs once per cluster per period, and survives the replica that ran it', async () => {
  // First both tasks run once: a replica killed by an earlier test may have
  // died holding a run, whose lock stays until the run's timeout and the
  // scheduler's janitor (once a minute) frees it. And at least as long as
  // a failed reconciliation waits for its retry, so that a retry of an
  // earlier test's failure (postgresRestart's) does not fall in the window;
  // a retry announced from here on counts as one run more.
  const warmUpUntil = Date.now() + schedules.reconcileRetrySeconds * 1000;
  const warmUp = watchLogs();
  let warmUpEntries;
  try {
    await eventually(
      () =>
        Object.values(TASKS).map(
          task => warmUp.entries().filter(task.isRun).length,
        ),
      counts => counts.every(n => n > 0),
      {
        timeoutMs: lockFreedWithinMs(schedules.reconcileSeconds),
        intervalMs: 1000,
        what: 'both tasks running (reconciliation, index refresh)',
      },
    );
    await sleep(Math.max(0, warmUpUntil - Date.now()));
  } finally {
    ({ entries: warmUpEntries } = warmUp.stop());
  }

  // A window of four reconciliation periods (eight index refresh periods).
  // The cluster's next run is due one period after the last one was due,
  // or at once if that is past, and a replica finds it due within one
  // poll: a window of S seconds holds at most (S + poll + 1) / period + 1
  // runs (1 s for the claim itself). Run once per replica, it would hold
  // about twice S / period.
  const watch = watchLogs();
  await sleep(4 * schedules.reconcileSeconds * 1000);
  const { entries, seconds } = watch.stop();
  const runs = {};
  for (const [name, task] of Object.entries(TASKS)) {
    runs[name] = entries.filter(task.isRun);
    const retries = [...warmUpEntries, ...entries].filter(task.isRetry).length;
    const most =
      Math.floor((seconds + schedules.pollSeconds + 1) / task.seconds) +
      1 +
      retries;
    console.log(
      `${name}: ${runs[name].length} runs in ${seconds.toFixed(1)}s (period ${
        task.seconds
      }s, at most ${most} once per cluster${
        retries ? ` with ${retries} retries` : ''
      }), per replica ${JSON.stringify(perReplica(runs[name]))}`,
    );
    assert.ok(runs[name].length >= 1, `${name} did not run in the window`);
    assert.ok(
      runs[name].length <= most,
      `${name} ran ${runs[name].length} times in ${seconds.toFixed(
        1,
      )}s with a ${
        task.seconds
      }s period: more than once per period for the cluster (per replica: ${JSON.stringify(
        perReplica(runs[name]),
      )})`,
    );
  }

  // The scheduler's lock: no two index refresh runs at once, on any two
  // replicas. The log says when each began and ended.
  const spans = indexRefreshRuns(entries);
  const overlaps = spans.flatMap((a, i) =>
    spans
      .slice(i + 1)
      .filter(
        b =>
          b.replica !== a.replica &&
          startedBeforeEnd(a, b) &&
          startedBeforeEnd(b, a),
      )
      .map(b => `replica ${a.replica} and replica ${b.replica}`),
  );
  console.log(
    `indexRefresh: ${spans.length} runs, ${
      spans.filter(r => r.end).length
    } ended in the window, ${overlaps.length} at once on two replicas`,
  );
  assert.deepEqual(overlaps, [], 'index refresh runs overlapped');

  // The replica that ran the reconciliation most in the window (the one
  // most likely to hold its next run) dies with SIGKILL: the other must go
  // on running both tasks. Had it died holding a run, its lock would stay
  // until the run's timeout (15 s in the test-only config) and the
  // scheduler's janitor (once a minute) frees it; the wait below allows for
  // that. Production log lines carry no timestamp, so "after the kill" is
  // "after the survivor's log offset taken just before it".
  const counts = perReplica(runs.reconciliation);
  const last = replicas
    .map((_, i) => i + 1)
    .sort((a, b) => counts[`replica ${b}`] - counts[`replica ${a}`])[0];
  const survivor = replicas.find((_, i) => i + 1 !== last);
  const from = logOffset(survivor);
  await killReplica(last);
  try {
    for (const [name, task] of Object.entries(TASKS)) {
      const after = await eventually(
        () => logEntriesSince(survivor, from).filter(task.isRun),
        found => found.length > 0,
        {
          timeoutMs: lockFreedWithinMs(task.seconds),
          intervalMs: 1000,
          what: `${name} running on the surviving replica after replica ${last} was killed`,
        },
      );
      console.log(
        `${name}: replica ${last} killed; the survivor ran it ${after.length} times since`,
      );
    }
  } finally {
    await startReplica(last);
  }
});
