import { createWriteStream, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import {
  WinstonLogger,
  WinstonLoggerLevelOverride,
} from '@backstage/backend-defaults/rootLogger';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { format, transports } from 'winston';

/**
 * The one benchmark root logger (bench:policy, bench:scim): the production
 * root logger (Backstage's `WinstonLogger` with the JSON
 * format it uses when `NODE_ENV=production`, at level `info`, with secret
 * redaction), writing to a file instead of the console. Every decision line
 * the policy writes is really formatted, redacted and written, as in
 * production, without flooding the terminal.
 *
 * How it is written, `BENCH_LOG_SINK`:
 * - `stdout` (the default): one synchronous write(2) per line, as the
 *   production root logger's Console transport does: Node writes
 *   `process.stdout` synchronously when it is a file or, on Linux, a pipe
 *   (a container's log), which is where a production backend's lines go.
 * - `stream`: an `fs.WriteStream`, which queues the lines and writes them
 *   in batches from libuv's thread pool. Cheaper for the logging thread, but
 *   no production backend logs that way; kept to compare with runs made
 *   before 2026-12-04 13:00 UTC, which all used it.
 */
export type LogSink = 'stdout' | 'stream';

export function logSink(): LogSink {
  const sink = process.env.BENCH_LOG_SINK ?? 'stdout';
  if (sink !== 'stdout' && sink !== 'stream') {
    throw new Error(`BENCH_LOG_SINK must be stdout or stream, not ${sink}`);
  }
  return sink;
}

function sinkStream(path: string, sink: LogSink): Writable {
  if (sink === 'stream') {
    return createWriteStream(path, { flags: 'w' });
  }
  // What Node's SyncWriteStream does for process.stdout on a file.
  const fd = openSync(path, 'w');
  return new Writable({
    write(chunk, _encoding, callback) {
      writeSync(fd, chunk);
      callback();
    },
  });
}
/** The bench's root logger: production's, writing to `path` through `sink`. */
export function createFileRootLogger(
  path: string,
  redactions: string[] = [],
  overrides: WinstonLoggerLevelOverride[] = [],
  sink: LogSink = logSink(),
) {
  const logger = WinstonLogger.create({
    meta: { service: 'backstage' },
    level: 'info',
    format: format.json(),
    transports: [new transports.Stream({ stream: sinkStream(path, sink) })],
  });
  logger.addRedactions(redactions);
  logger.setLevelOverrides(overrides);
  return logger;
}

export function fileRootLoggerFactory(
  path: string,
  /** Secrets to redact, as the backend adds its own (tokens, keys). */
  redactions: string[] = [],
  /** As `backend.logger.overrides` in app-config. */
  overrides: WinstonLoggerLevelOverride[] = [],
) {
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => createFileRootLogger(path, redactions, overrides),
  });
}
