import { createWriteStream } from 'node:fs';
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
 */
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
    factory: () => {
      const logger = WinstonLogger.create({
        meta: { service: 'backstage' },
        level: 'info',
        format: format.json(),
        transports: [
          new transports.Stream({
            stream: createWriteStream(path, { flags: 'w' }),
          }),
        ],
      });
      logger.addRedactions(redactions);
      logger.setLevelOverrides(overrides);
      return logger;
    },
  });
}
