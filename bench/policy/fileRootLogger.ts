import { createWriteStream } from 'node:fs';
import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';

/**
 * A root logger writing one JSON line per message to a file, so every
 * decision line the policy writes is really serialised and written, as in
 * production, without flooding the terminal.
 */
export function fileRootLoggerFactory(path: string) {
  const out = createWriteStream(path, { flags: 'w' });
  const make = (fields: Record<string, unknown>): LoggerService => {
    const log = (level: string) => (message: string, meta?: unknown) => {
      const extra =
        meta instanceof Error ? { error: String(meta) } : (meta as object);
      out.write(
        `${JSON.stringify({
          timestamp: new Date().toISOString(),
          level,
          message,
          ...fields,
          ...extra,
        })}\n`,
      );
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: () => {},
      child: meta => make({ ...fields, ...meta }),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => make({}),
  });
}
