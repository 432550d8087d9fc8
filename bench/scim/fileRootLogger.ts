import { createWriteStream } from 'node:fs';
import {
  coreServices,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';

/**
 * A root logger writing one JSON line per message (info and above) to a
 * file, so the backend's logs can be read after a run without flooding the
 * terminal.
 */
export function fileRootLoggerFactory(path: string) {
  const out = createWriteStream(path, { flags: 'w' });
  const make = (fields: Record<string, unknown>): LoggerService => {
    const log = (level: string) => (message: string, meta?: unknown) => {
      const extra =
        meta instanceof Error
          ? { error: String(meta), stack: meta.stack }
          : (meta as object);
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
