import { Writable } from 'node:stream';
import { IdentityExportRow } from '../service/IdentityService';
import { CsvColumn, writeCsv } from './writeCsv';

const columns: Array<CsvColumn<IdentityExportRow>> = [
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
 * Streams the rows as RFC 4180 CSV with a header line; see {@link writeCsv}.
 */
export function writeExportCsv(
  batches: AsyncIterable<IdentityExportRow[]>,
  out: Writable,
): Promise<void> {
  return writeCsv(columns, batches, out);
}
