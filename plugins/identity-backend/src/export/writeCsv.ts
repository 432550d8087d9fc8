import stringify from 'csv-stringify/lib/sync';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** One column of a CSV: the row's key and its header. */
export interface CsvColumn<T> {
  key: keyof T;
  header: string;
}

/** RFC 4180: CRLF after every record, the last one included. */
const csvOptions = { record_delimiter: 'windows' as const };

/**
 * Spreadsheets run cells that start with these as formulas; names and
 * emails come from identity providers, so they are not trusted (OWASP CSV
 * injection).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Streams the rows as RFC 4180 CSV with a header line, honouring the
 * destination's backpressure. Each batch is turned into CSV in one
 * synchronous call and written as one chunk: a stream step per row cost more
 * than the rows themselves at hundreds of thousands of rows. Stops reading
 * (and so querying) as soon as the destination closes: the client went away.
 */
export async function writeCsv<T>(
  columns: ReadonlyArray<CsvColumn<T>>,
  batches: AsyncIterable<T[]>,
  out: Writable,
): Promise<void> {
  // One listener of each kind for the whole export. The compression
  // middleware hands 'drain' listeners to its zlib stream, where removing
  // them through the response does not reach: a listener per wait would pile
  // up there.
  let closed = false;
  let wake: (() => void) | undefined;
  const onDrain = () => wake?.();
  const onClose = () => {
    closed = true;
    wake?.();
  };
  out.on('drain', onDrain);
  out.on('close', onClose);
  out.on('error', onClose);

  /** False once there is no one left to write to. */
  const write = async (chunk: string): Promise<boolean> => {
    if (closed || out.destroyed || out.writableEnded) {
      return false;
    }
    if (!out.write(chunk)) {
      await new Promise<void>(resolve => {
        wake = resolve;
      });
      wake = undefined;
    }
    return !closed;
  };

  try {
    if (!(await write(stringify([columns.map(c => c.header)], csvOptions)))) {
      return;
    }
    for await (const rows of batches) {
      if (!rows.length) {
        continue;
      }
      const records = rows.map(row =>
        columns.map(c => neutralise(String(row[c.key] ?? ''))),
      );
      if (!(await write(stringify(records, csvOptions)))) {
        // Leaving the loop ends the generator, and with it the queries.
        return;
      }
    }
    out.end();
    // A client that leaves during the last bytes has nothing to be told.
    await finished(out).catch(() => undefined);
  } finally {
    out.off('drain', onDrain);
    out.off('close', onClose);
    out.off('error', onClose);
  }
}
