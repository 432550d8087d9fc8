/*
 * The machine a benchmark ran on, and what else ran on it: the figures of a
 * 2-CPU machine shared with a CI run, the replica tests or unit tests are
 * not those of a quiet one, so a report says which it was.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/**
 * A running benchmark, as pgrep's extended regular expression: its script
 * (`bench/<name>/run.ts`) or its yarn script (`bench:<name>`). Not any command
 * naming a file under bench/: an editor's or a grep's would count.
 */
export const BENCHMARK_PROCESS = 'bench/[a-z]+/run\\.ts|bench:[a-z]+';

/**
 * This process and its ancestors (from /proc), which are the benchmark
 * itself: `yarn bench:x` starts it through more than one process.
 */
export function ownProcesses(): Set<number> {
  const pids = new Set<number>([process.pid]);
  let pid = process.ppid;
  while (pid > 1 && !pids.has(pid)) {
    pids.add(pid);
    try {
      // The fields after the command's closing parenthesis: state, ppid.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return pids;
}

/**
 * Work that competes for the CPU, as `pid command` lines (`pgrep -af`): a
 * CI run (/tmp/ci-check), the replica tests (`scripts/replicas.sh test`, or
 * one of `scripts/replicas/tests` run alone), jest, another benchmark
 * (BENCHMARK_PROCESS), another backend (`node packages/backend`: someone's replicas).
 * Lines containing `self` (the calling benchmark's folder, e.g.
 * `bench/capacity`, or its replicas' state folder) are its own.
 */
export function otherWork(self: string | string[]): string[] {
  const selves = Array.isArray(self) ? self : [self];
  const own = ownProcesses();
  const result = spawnSync(
    'pgrep',
    [
      '-af',
      `/tmp/ci-check|replicas\\.sh test|scripts/replicas/tests|jest|${BENCHMARK_PROCESS}|node packages/backend`,
    ],
    { encoding: 'utf8' },
  );
  return (result.stdout ?? '')
    .split('\n')
    .filter(
      line =>
        line.trim() &&
        !selves.some(s => line.includes(s)) &&
        !own.has(Number(line.split(' ')[0])),
    )
    .map(line => line.slice(0, 140));
}

/** What kinds of other work the lines of otherWork() show. */
export function otherWorkKinds(lines: string[]): string[] {
  const kinds = new Set<string>();
  for (const line of lines) {
    if (line.includes('/tmp/ci-check')) kinds.add('CI run');
    else if (/replicas\.sh test|scripts\/replicas\/tests/.test(line))
      kinds.add('replica tests');
    else if (line.includes('jest')) kinds.add('jest');
    else if (new RegExp(BENCHMARK_PROCESS).test(line))
      kinds.add('another benchmark');
    else if (line.includes('packages/backend'))
      kinds.add('other backends (replicas)');
  }
  return [...kinds];
}

export const loadAverage = () =>
  os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ');

export function machineInfo() {
  const cpus = os.cpus();
  const backstage = JSON.parse(
    readFileSync(join(ROOT, 'backstage.json'), 'utf8'),
  ).version as string;
  return {
    cpu: `${cpus[0]?.model.trim() ?? 'unknown'} (${cpus.length} logical CPUs)`,
    cpus: cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    backstage,
  };
}

/**
 * Samples the 1-minute load average and the other work every `everyMs`
 * while a phase runs; `stop()` returns the highest load seen and the kinds
 * of other work seen.
 */
export function watchMachine(self: string | string[], everyMs = 15_000) {
  let maxLoad1 = os.loadavg()[0];
  const seen = new Set(otherWorkKinds(otherWork(self)));
  const timer = setInterval(() => {
    maxLoad1 = Math.max(maxLoad1, os.loadavg()[0]);
    otherWorkKinds(otherWork(self)).forEach(k => seen.add(k));
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      maxLoad1 = Math.max(maxLoad1, os.loadavg()[0]);
      return { maxLoad1, otherWork: [...seen] };
    },
  };
}

const CLOCK_TICKS = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout;
  return Number(out?.trim()) || 100;
})();

/** CPU seconds a process has used (user + system), if it runs. */
function processCpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // After the command: state is field 3, utime 14 and stime 15.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** CPU seconds the whole machine has been busy (/proc/stat: not idle, not iowait). */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest is within user)
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - v[3] - v[4]) / CLOCK_TICKS;
}

/**
 * Where the CPU went over a window: the given processes (by name), this
 * process, and the rest of the machine (on a quiet machine: PostgreSQL).
 * `stop()` returns CPU seconds for each, and the window's length.
 */
export function cpuWindow(processes: Record<string, number[]>) {
  const started = performance.now();
  const busy0 = machineBusySeconds();
  const self0 = process.cpuUsage();
  const at0 = Object.fromEntries(
    Object.entries(processes).map(([name, pids]) => [
      name,
      pids.map(pid => processCpuSeconds(pid) ?? 0),
    ]),
  );
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const machine = machineBusySeconds() - busy0;
      const self = process.cpuUsage(self0);
      const client = (self.user + self.system) / 1e6;
      const byProcess: Record<string, number> = {};
      for (const [name, pids] of Object.entries(processes)) {
        byProcess[name] = pids.reduce(
          (s, pid, i) => s + ((processCpuSeconds(pid) ?? 0) - at0[name][i]),
          0,
        );
      }
      const named = Object.values(byProcess).reduce((a, b) => a + b, 0);
      return {
        seconds,
        machine,
        byProcess,
        client,
        rest: Math.max(0, machine - named - client),
      };
    },
  };
}
