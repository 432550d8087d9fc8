import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';

type Fields = Record<string, unknown>;

export interface LogLine extends Fields {
  level: string;
  message: string;
}

/** A root logger that keeps every line, with its child metadata, in memory. */
export function createRecordingRootLogger() {
  const lines: LogLine[] = [];
  const make = (fields: Fields): RootLoggerService => {
    const log = (level: string) => (message: string, meta?: Error | Fields) => {
      const extra =
        meta instanceof Error ? { error: String(meta) } : meta ?? {};
      lines.push({ ...fields, ...extra, level, message } as LogLine);
    };
    const logger: LoggerService = {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: meta => make({ ...fields, ...meta }),
    };
    return logger;
  };
  const rootLogger = make({});
  return {
    lines,
    factory: createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => rootLogger,
    }),
  };
}
