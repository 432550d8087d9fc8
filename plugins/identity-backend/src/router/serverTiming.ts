import { RequestHandler } from 'express';

/**
 * Adds `Server-Timing: total;dur=<ms>` to every response: the time from the
 * request reaching this plugin's router to its headers being written (for a
 * streamed export, the first byte). Browsers show it in their developer tools,
 * and the benchmarks report server-side latency from it instead of guessing
 * from client timings, which include the client's own queueing.
 */
export function serverTiming(): RequestHandler {
  return (_req, res, next) => {
    const start = process.hrtime.bigint();
    const writeHead = res.writeHead;
    // Node writes implicit headers through writeHead too (res.end, res.write).
    res.writeHead = function timedWriteHead(this: typeof res, ...args: any[]) {
      if (!this.headersSent && !this.hasHeader('Server-Timing')) {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        this.setHeader('Server-Timing', `total;dur=${ms.toFixed(2)}`);
      }
      return (writeHead as (...a: any[]) => typeof res).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}
