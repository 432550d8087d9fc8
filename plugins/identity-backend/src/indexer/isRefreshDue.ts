import { RefreshRecord } from '../store/IdentityStore';

/**
 * Whether a scheduled index refresh should run now.
 *
 * Every refresh lists the version of each User and Group entity to find out
 * what changed, whether anything did or not; that scan grows with the
 * catalog (about 3 s at 55,000 entities in bench/identity) while the schedule's interval does
 * not. A refresh is due once the last one started at least
 * `scanMs / maxScanShare` ago, so that scanning takes at most that share of
 * the time; a refresh asked for since the last one started (offboarding,
 * refresh through the API) is due at once. The record lives in the plugin's
 * database, so that every instance of a scaled-out backend keeps to the same
 * pace.
 *
 * @param maxScanShare - more than 0 and at most 1
 */
export function isRefreshDue(
  record: RefreshRecord,
  now: Date,
  maxScanShare: number,
): boolean {
  const { startedAt, scanMs, requestedAt } = record;
  if (!startedAt || scanMs === undefined) {
    return true;
  }
  if (requestedAt && requestedAt.getTime() >= startedAt.getTime()) {
    return true;
  }
  return now.getTime() - startedAt.getTime() >= scanMs / maxScanShare;
}
