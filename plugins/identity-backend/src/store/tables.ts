/** Tables of the index not shared with the engine's rows (engineRows.ts). */
export const DETAILS = 'identity_user_details';
export const DIRECT = 'identity_user_direct_groups';

/** `identity_state` keys. */
export const INDEXED_AT_KEY = 'indexed_at';
export const SUMMARY_KEY = 'summary';
export const SCAN_MS_KEY = 'refresh_scan_ms';
export const REQUESTED_AT_KEY = 'refresh_requested_at';
/** The failures since the last refresh that finished (see recordRefreshFailure). */
export const FAILED_SINCE_KEY = 'refresh_failed_since';
export const LAST_FAILURE_KEY = 'refresh_last_failure';

/** Rows per insert statement: stays far below every engine's bind limit. */
export const INSERT_CHUNK = 200;
/** Values per `IN (...)` list. */
export const IN_CHUNK = 500;

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
