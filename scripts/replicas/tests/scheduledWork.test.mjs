// Scheduled work runs once per cluster, not once per replica, and survives
// the replica that ran it: the SCIM reconciliation (catalog module, task
// scim-reconciliation) and the Identity index refresh (identity plugin, task
// identity-index-refresh) are both global tasks of Backstage's scheduler,
// which claims each run with a lock row in the plugin's database.
//
// The runs are read from each replica's log: the reconciliation logs
// "SCIM reconciliation emitted N entities" at info, and the index refresh
// is audited as identity.index-refresh (severity low, written at info by the
// test-only config). The periods are the test-only config's (10 s and 5 s).
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
} from './harness.mjs';

const TASKS = {
  reconciliation: {
    seconds: schedules.reconcileSeconds,
    isRun: e =>
      typeof e.message === 'string' &&
      e.message.startsWith('SCIM reconciliation emitted'),
  },
  indexRefresh: {
    seconds: schedules.indexRefreshSeconds,
    isRun: e =>
      e.isAuditEvent === true &&
      e.eventId === 'index-refresh' &&
      e.status === 'initiated',
  },
};

function runsSince(offsets, task) {
  return replicas.flatMap((replica, i) =>
    logEntriesSince(replica, offsets[i]).filter(task.isRun),
  );
}

function perReplica(runs) {
  return Object.fromEntries(
    replicas.map((_, i) => [
      `replica ${i + 1}`,
      runs.filter(r => r.replica === i + 1).length,
    ]),
  );
}

test('scheduled work runs once per cluster per period, and survives the replica that ran it', async () => {
  // A window of three reconciliation periods (six index refresh periods).
  // Scheduled times are one period apart across the cluster, so a window
  // holds at most window/period + 1 runs; run once per replica, it would
  // hold about twice window/period.
  const windowSeconds = 3 * schedules.reconcileSeconds;
  const offsets = replicas.map(logOffset);
  await sleep(windowSeconds * 1000);
  const runs = {};
  for (const [name, task] of Object.entries(TASKS)) {
    runs[name] = runsSince(offsets, task);
    const most = Math.floor(windowSeconds / task.seconds) + 1;
    console.log(
      `${name}: ${runs[name].length} runs in ${windowSeconds}s (period ${
        task.seconds
      }s, at most ${most} once per cluster), per replica ${JSON.stringify(
        perReplica(runs[name]),
      )}`,
    );
    assert.ok(runs[name].length >= 1, `${name} did not run in the window`);
    assert.ok(
      runs[name].length <= most,
      `${name} ran ${runs[name].length} times in ${windowSeconds}s with a ${
        task.seconds
      }s period: more than once per period for the cluster (per replica: ${JSON.stringify(
        perReplica(runs[name]),
      )})`,
    );
  }

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
          timeoutMs:
            (task.seconds +
              schedules.timeoutSeconds +
              schedules.janitorSeconds +
              15) *
            1000,
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
