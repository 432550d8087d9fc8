/*
 * The production shape from a benchmark (bench/load, bench/capacity): the
 * replicas started and stopped with scripts/replicas.sh, on ports and in a
 * state folder of the benchmark's own, so that it never meets the replica
 * tests (ports 7200 to 7202, .demo/replicas) or another benchmark.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface ReplicasSettings {
  /** Replica ports, e.g. "7211 7212" (REPLICAS_PORTS). */
  ports: string;
  /** The round-robin proxy's port (REPLICAS_PROXY_PORT). */
  proxyPort: string;
  /** REPLICAS_STATE_DIR: the app, configs, logs and state.env. */
  stateDir: string;
  /** REPLICAS_EXTRA_CONFIG: one more config file for every replica. */
  extraConfig?: string;
}

/**
 * Runs `scripts/replicas.sh <command>` (start, stop, ...) with these
 * settings, its output on this process's, and waits for it; throws if it
 * fails or takes longer than `timeoutMs`.
 */
export function replicas(
  command: string,
  settings: ReplicasSettings,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
) {
  execFileSync(join(ROOT, 'scripts/replicas.sh'), [command], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: options.timeoutMs,
    killSignal: 'SIGTERM',
    env: {
      ...process.env,
      REPLICAS_PORTS: settings.ports,
      REPLICAS_PROXY_PORT: settings.proxyPort,
      REPLICAS_STATE_DIR: settings.stateDir,
      ...(settings.extraConfig
        ? { REPLICAS_EXTRA_CONFIG: settings.extraConfig }
        : {}),
      ...options.env,
    },
  });
}

/**
 * What `scripts/replicas.sh start` wrote to the state folder's state.env:
 * RUN_ID, DB_PREFIX, REPLICA_PIDS, REPLICA_PORTS, PROXY_URL, STATIC_TOKEN,
 * SCIM_ENTRA_TOKEN, SCIM_OKTA_TOKEN, ...
 */
export function readReplicasState(stateDir: string): Record<string, string> {
  const text = readFileSync(join(stateDir, 'state.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter(line => /^[A-Z_]+=/.test(line))
      .map(line => {
        const i = line.indexOf('=');
        return [line.slice(0, i), line.slice(i + 1).replace(/^"|"$/g, '')];
      }),
  );
}

/**
 * On Ctrl-C (SIGINT) or SIGTERM: runs `cleanup` (stopping the replicas,
 * say; synchronous), then exits 130 or 143. The replicas do not get the
 * terminal's SIGINT themselves (replicas.sh starts them in the background),
 * so without this an interrupted benchmark would leave them running, with
 * their databases. Returns a function that removes the handlers.
 */
export function onInterrupt(cleanup: () => void) {
  let done = false;
  const handler = (signal: NodeJS.Signals) => {
    if (done) return;
    done = true;
    console.error(`\n${signal}: cleaning up`);
    try {
      cleanup();
    } finally {
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** A process's resident memory in MB (/proc/<pid>/status), if it runs. */
export function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}
