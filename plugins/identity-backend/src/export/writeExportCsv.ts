import stringify from 'csv-stringify';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IdentityExportRow } from '../service/IdentityService';

const columns: Array<{ key: keyof IdentityExportRow; header: string }> = [
  { key: 'userRef', header: 'user_ref' },
  { key: 'name', header: 'name' },
  { key: 'displayName', header: 'display_name' },
  { key: 'email', header: 'email' },
  { key: 'source', header: 'source' },
  { key: 'flags', header: 'flags' },
  { key: 'managedByLocation', header: 'managed_by_location' },
  { key: 'originLocation', header: 'origin_location' },
  { key: 'groupRef', header: 'group_ref' },
  { key: 'membership', header: 'membership' },
  { key: 'path', header: 'path' },
];

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
 * destination's backpressure.
 */
export async function writeExportCsv(
  rows: AsyncIterable<IdentityExportRow>,
  out: NodeJS.WritableStream,
): Promise<void> {
  async function* records() {
    for await (const row of rows) {
      yield Object.fromEntries(
        columns.map(c => [c.key, neutralise(String(row[c.key] ?? ''))]),
      );
    }
  }
  await pipeline(
    Readable.from(records()),
    stringify({ header: true, columns, record_delimiter: 'windows' }),
    out,
  );
}
