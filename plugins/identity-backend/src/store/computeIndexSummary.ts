import {
  IdentitySource,
  IdentityStatusFlag,
  identityStatusFlags,
} from '@identity-governance/plugin-identity-common';
import { Knex } from 'knex';
import { IndexSummary } from './IdentityStore';
import { userFlagColumns } from './userFlagColumns';

/**
 * Counts users per source and per status flag, and groups, by scanning the
 * index: one pass over the users, grouped by source, gives both.
 *
 * @param db - the database, or the transaction whose writes to count
 */
export async function computeIndexSummary(db: Knex): Promise<IndexSummary> {
  const rows: Array<Record<string, unknown>> = await db('identity_users')
    .select(
      'source',
      db.raw('count(*) as ??', ['total']),
      ...identityStatusFlags.map(flag =>
        db.raw(`sum(??) as ??`, [userFlagColumns[flag], flag]),
      ),
    )
    .groupBy('source');
  const [{ count: totalGroups }] = await db('identity_groups').count({
    count: '*',
  });
  const bySource: Partial<Record<IdentitySource, number>> = {};
  const byStatus = Object.fromEntries(
    identityStatusFlags.map(flag => [flag, 0]),
  ) as Record<IdentityStatusFlag, number>;
  let totalUsers = 0;
  for (const row of rows) {
    const total = Number(row.total);
    bySource[row.source as IdentitySource] = total;
    totalUsers += total;
    for (const flag of identityStatusFlags) {
      byStatus[flag] += Number(row[flag] ?? 0);
    }
  }
  return {
    totalUsers,
    totalGroups: Number(totalGroups),
    bySource,
    byStatus,
  };
}
