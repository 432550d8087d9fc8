import { ChildProcess, spawn } from 'node:child_process';
import { PG_PREFIX } from './benchPostgres';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';

export interface BackendOptions {
  root: string;
  port: number;
  orgDir: string;
  /** Catalog file locations, one per file of the organisation. */
  locations: string[];
  /** A host the catalog may read `url` locations from (`host:port`). */
  readHost: string;
  /** Overrides identity.refresh.interval. */
  refreshInterval?: string;
  token: string;
  logFile: string;
  /** Preload bench/identity/sqliteCompoundInsert.cjs (see that file). */
  sqliteWorkaround: boolean;
  /**
   * BENCH_DB_DIR: SQLite files in this directory instead of memory, except
   * for the identity plugin (see benchDatabase.ts).
   */
  dbDir?: string;
  /**
   * BENCH_PG: every plugin's database on this PostgreSQL server, named
   * identity_bench_<pluginId> (see benchPostgres.ts).
   */
  postgres?: string;
  /**
   * More config files, after app-config.yaml and
   * bench/identity/app-config.bench.yaml (bench/access adds its own).
   */
  extraConfigs?: string[];
}

export interface Backend {
  baseUrl: string;
  startedAt: number;
  child: ChildProcess;
  stop(): Promise<void>;
  /** What the backend's log said so far. */
  events: BackendEvents;
}

export interface BackendEvents {
  /** Durations of index refreshes that changed something (only those log). */
  refreshesWithChanges: number[];
  /** Failed index refreshes, as logged. */
  refreshErrors: string[];
  /** Statements rewritten by the SQLite workaround. */
  sqliteRewrites: number;
}

const REFRESH_LINE = /Identity index refreshed in (\d+) ms/;

export async function assertPortFree(port: number) {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(
        new Error(
          `Port ${port} is in use; the benchmark starts its own backend there`,
        ),
      ),
    );
    server.listen(port, () => server.close(() => resolve()));
  });
}

/**
 * Starts the real packages/backend (src/index.ts through Backstage's node
 * transform, as `yarn start` does, but with NODE_ENV=production) with
 * app-config.yaml and bench/identity/app-config.bench.yaml, in its own
 * process so that the browser and the measuring script do not share its
 * event loop.
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  await assertPortFree(options.port);
  const log = createWriteStream(options.logFile, { flags: 'w' });
  const args = [
    '--require',
    '@backstage/cli/config/nodeTransform.cjs',
    ...(options.sqliteWorkaround
      ? [
          '--require',
          join(options.root, 'bench/identity/sqliteCompoundInsert.cjs'),
        ]
      : []),
    'src/index.ts',
    '--config',
    join(options.root, 'app-config.yaml'),
    '--config',
    join(options.root, 'bench/identity/app-config.bench.yaml'),
    ...(options.extraConfigs ?? []).flatMap(file => ['--config', file]),
  ];
  const startedAt = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: join(options.root, 'packages/backend'),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      IDENTITY_BENCH_ORG_DIR: options.orgDir,
      IDENTITY_BENCH_TOKEN: options.token,
      IDENTITY_BENCH_READ_HOST: options.readHost,
      ...(options.refreshInterval
        ? { APP_CONFIG_identity_refresh_interval: options.refreshInterval }
        : {}),
      APP_CONFIG_catalog_locations: JSON.stringify(
        options.locations.map(target => ({ type: 'file', target })),
      ),
      ...(options.dbDir
        ? {
            // One file per plugin, <dir>/<pluginId>.sqlite. The identity
            // plugin, whose figures this benchmark takes, stays in memory as
            // without BENCH_DB_DIR: every run indexes the catalog afresh and
            // measures the same thing.
            APP_CONFIG_backend_database_connection: JSON.stringify({
              directory: options.dbDir,
            }),
            APP_CONFIG_backend_database_plugin_identity_connection: ':memory:',
          }
        : {}),
      ...(options.postgres
        ? {
            APP_CONFIG_backend_database_client: 'pg',
            APP_CONFIG_backend_database_connection: JSON.stringify(
              options.postgres,
            ),
            APP_CONFIG_backend_database_prefix: PG_PREFIX,
          }
        : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const events: BackendEvents = {
    refreshesWithChanges: [],
    refreshErrors: [],
    sqliteRewrites: 0,
  };
  const watch = (stream: Readable) =>
    createInterface({ input: stream }).on('line', line => {
      const refresh = REFRESH_LINE.exec(line);
      if (refresh) {
        events.refreshesWithChanges.push(Number(refresh[1]));
      } else if (
        line.includes('identity-index-refresh') &&
        line.includes('"level":"error"')
      ) {
        events.refreshErrors.push(line);
      } else if (line.includes('[identity-bench] sqlite insert rewritten')) {
        events.sqliteRewrites += 1;
      }
    });
  watch(child.stdout!);
  watch(child.stderr!);
  let exited = false;
  const exit = new Promise<void>(resolve =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const baseUrl = `http://localhost:${options.port}`;
  const backend: Backend = {
    baseUrl,
    startedAt,
    child,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
        await exit;
        clearTimeout(timer);
      }
      await new Promise(r => log.end(r));
    },
    events,
  };

  // Ready when the app is served and the plugins have initialised.
  for (;;) {
    if (exited) {
      throw new Error(
        `The backend exited during startup; see ${options.logFile}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      if (res.ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() - startedAt > 5 * 60_000) {
      await backend.stop();
      throw new Error(`The backend did not start; see ${options.logFile}`);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  return backend;
}
