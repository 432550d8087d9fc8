import { Knex } from 'knex';
import { applyScimFilter } from '../filter/applyScimFilter';
import { userFilterTargets } from '../filter/filterTargets';
import { Row } from './rows';
import { ListQuery } from './ScimStore';

/**
 * One page of an IdP's users or groups that match the query's filter, in
 * creation order (then id, which keeps paging stable), and how many match.
 */
export async function listResources(
  knex: Knex,
  table: 'scim_users' | 'scim_groups',
  idp: string,
  query: ListQuery,
  targets: typeof userFilterTargets,
): Promise<{ total: number; rows: Row[] }> {
  const base = knex(`${table} as t`).where('t.idp', idp);
  if (query.filter) {
    applyScimFilter(knex, base, query.filter, targets, 't');
  }
  const [{ total }] = await base.clone().count({ total: '*' });
  if (query.count <= 0) {
    return { total: Number(total), rows: [] };
  }
  const rows = await base
    .clone()
    .select('t.*')
    .orderBy([
      { column: 't.created_at', order: 'asc' },
      { column: 't.id', order: 'asc' },
    ])
    .offset(query.startIndex - 1)
    .limit(query.count);
  return { total: Number(total), rows };
}
