import { identityStatusFlags } from '@identity-governance/plugin-identity-common';
import { Knex } from 'knex';
import { computeIndexSummary } from './computeIndexSummary';
import { STATE } from './engineRows';
import {
  IdentityIndexState,
  IndexSummary,
  RefreshFailure,
  RefreshRecord,
} from './IdentityStore';
import {
  FAILED_SINCE_KEY,
  INDEXED_AT_KEY,
  LAST_FAILURE_KEY,
  REQUESTED_AT_KEY,
  SCAN_MS_KEY,
  SUMMARY_KEY,
} from './tables';

/** An error message is the page's to show, not a dump: it stays short. */
const MAX_FAILURE_MESSAGE = 500;

function parseFailure(
  since: string | undefined,
  last: string | undefined,
): RefreshFailure | undefined {
  if (!since || !last) {
    return undefined;
  }
  try {
    const { at, message } = JSON.parse(last);
    if (typeof at === 'string' && typeof message === 'string') {
      return { since, at, message };
    }
  } catch {
    // Written by another version: a failure without its details.
  }
  return { since, at: since, message: 'unknown error' };
}

export function parseSummary(
  value: string | undefined,
): IndexSummary | undefined {
  if (!value) {
    return undefined;
  }
  const summary = JSON.parse(value) as IndexSummary;
  // Written by a version with other status flags: recompute, do not guess.
  if (
    !identityStatusFlags.every(f => typeof summary.byStatus?.[f] === 'number')
  ) {
    return undefined;
  }
  return summary;
}

/**
 * Counts the index and stores the summary. Whoever counts queues on the
 * summary's row first, so that each count sees every write committed before
 * its own: under PostgreSQL's read committed, two concurrent writers would
 * otherwise each count without the other's changes, and the later commit
 * would store a summary missing the earlier one's.
 */
export async function writeSummary(
  tx: Knex.Transaction,
): Promise<IndexSummary> {
  await tx(STATE)
    .insert({ key: SUMMARY_KEY, value: '' })
    .onConflict('key')
    .merge();
  const summary = await computeIndexSummary(tx);
  await tx(STATE)
    .where('key', SUMMARY_KEY)
    .update({ value: JSON.stringify(summary) });
  return summary;
}

/**
 * The index's state (`identity_state`): the stored summary and what paces the
 * refreshes.
 */
export class DatabaseIndexState implements IdentityIndexState {
  constructor(private readonly knex: Knex) {}

  async summary(): Promise<
    IndexSummary & { indexedAt?: string; refreshFailure?: RefreshFailure }
  > {
    const state = await this.readState([
      SUMMARY_KEY,
      INDEXED_AT_KEY,
      FAILED_SINCE_KEY,
      LAST_FAILURE_KEY,
    ]);
    let summary = parseSummary(state.get(SUMMARY_KEY));
    if (!summary) {
      summary = await this.storeMissingSummary();
    }
    return {
      totalUsers: summary.totalUsers,
      totalGroups: summary.totalGroups,
      bySource: summary.bySource,
      byStatus: summary.byStatus,
      indexedAt: state.get(INDEXED_AT_KEY),
      refreshFailure: parseFailure(
        state.get(FAILED_SINCE_KEY),
        state.get(LAST_FAILURE_KEY),
      ),
    };
  }

  async recordRefreshFailure(at: Date, message: string): Promise<void> {
    const value = JSON.stringify({
      at: at.toISOString(),
      message: message.slice(0, MAX_FAILURE_MESSAGE),
    });
    await this.knex.transaction(async tx => {
      // The first failure since the last refresh that finished stays.
      await tx(STATE)
        .insert({ key: FAILED_SINCE_KEY, value: at.toISOString() })
        .onConflict('key')
        .ignore();
      await tx(STATE)
        .insert({ key: LAST_FAILURE_KEY, value })
        .onConflict('key')
        .merge();
    });
  }

  async refreshRecord(): Promise<RefreshRecord> {
    const state = await this.readState([
      INDEXED_AT_KEY,
      SCAN_MS_KEY,
      REQUESTED_AT_KEY,
    ]);
    const date = (key: string) => {
      const v = state.get(key);
      return v ? new Date(v) : undefined;
    };
    const scanMs = state.get(SCAN_MS_KEY);
    return {
      startedAt: date(INDEXED_AT_KEY),
      scanMs: scanMs === undefined ? undefined : Number(scanMs),
      requestedAt: date(REQUESTED_AT_KEY),
    };
  }

  /** The `identity_state` rows with these keys, by key. */
  private async readState(keys: string[]): Promise<Map<string, string>> {
    const rows: Array<{ key: string; value: string }> = await this.knex(STATE)
      .select('key', 'value')
      .whereIn('key', keys);
    return new Map(rows.map(r => [r.key, r.value]));
  }

  async requestRefresh(at: Date): Promise<void> {
    await this.knex(STATE)
      .insert({ key: REQUESTED_AT_KEY, value: at.toISOString() })
      .onConflict('key')
      .merge();
  }

  /**
   * An index written before the summary was stored (or by a version with
   * other status flags) has none until its next change: count once now.
   */
  private async storeMissingSummary(): Promise<IndexSummary> {
    return this.knex.transaction(tx => writeSummary(tx));
  }
}
