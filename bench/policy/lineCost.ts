/*
 * What one decision line costs the logging thread, by itself: the bench's
 * root logger (production's winston pipeline) writing the policy's line
 * through each sink, and the bare system call under it. Printed by
 * bench:policy before the HTTP runs, so that the per-line figures its
 * reading cites come from the same run.
 */
import { openSync, closeSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFileRootLogger, LogSink } from '../lib/fileRootLogger';

const LINES = 100_000;
/** As the HTTP load does: the event loop turns between batches of 100. */
const BATCH = 100;
const ROUNDS = 3;

export interface LineCost {
  what: string;
  /** µs per line in each round. */
  rounds: number[];
}

const fields = (i: number) => ({
  user: `user:default/user-${i % 20000}`,
  permission: 'catalog.entity.delete',
  resourceRef: `component:default/component-${i % 500}`,
  result: 'DENY',
  reason: 'not in an admin group and no rule allows it',
});

const turn = () => new Promise(resolve => setImmediate(resolve));

async function timeRounds(write: (i: number) => void): Promise<number[]> {
  const rounds: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const started = performance.now();
    for (let i = 0; i < LINES; i++) {
      write(i);
      if (i % BATCH === BATCH - 1) {
        await turn();
      }
    }
    const us = ((performance.now() - started) * 1000) / LINES;
    if (r > 0) rounds.push(us); // round 0 warms up
  }
  return rounds;
}

export async function measureLineCost(
  dir: string,
  redactions: string[],
): Promise<LineCost[]> {
  const results: LineCost[] = [];
  for (const sink of ['stdout', 'stream'] as LogSink[]) {
    const logger = createFileRootLogger(
      join(dir, `line-cost-${sink}.log`),
      redactions,
      [],
      sink,
    ).child({ plugin: 'permission' });
    results.push({
      what: `decision line, root logger, BENCH_LOG_SINK=${sink}`,
      rounds: await timeRounds(i =>
        logger.info('permission.policy-decision', fields(i)),
      ),
    });
  }
  const line = Buffer.from(
    `${JSON.stringify({
      level: 'info',
      message: 'permission.policy-decision',
      plugin: 'permission',
      service: 'backstage',
      ...fields(0),
    })}\n`,
  );
  for (const [what, path] of [
    [
      `write(2) of the ${line.length}-byte line to a file`,
      join(dir, 'line-cost-write.log'),
    ],
    [`write(2) of the ${line.length}-byte line to /dev/null`, '/dev/null'],
  ]) {
    const fd = openSync(path, 'w');
    try {
      results.push({
        what,
        rounds: await timeRounds(() => writeSync(fd, line)),
      });
    } finally {
      closeSync(fd);
    }
  }
  return results;
}

export function lineCostRows(costs: LineCost[]): string[][] {
  return costs.map(c => {
    const mean = c.rounds.reduce((a, b) => a + b, 0) / c.rounds.length;
    return [
      c.what,
      `${mean.toFixed(2)} µs`,
      c.rounds.map(r => r.toFixed(2)).join(' '),
    ];
  });
}

export const LINE_COST_HEADER = `Decision line by itself, in process: ${LINES} lines per round, the event loop turning every ${BATCH}, ${ROUNDS} rounds after one not counted; the logging thread's time per line`;
