import { Knex } from 'knex';
import { CLOSURE, GROUPS, STATE, USERS } from './engineRows';
import { UserFilter } from './IdentityStore';
import { parseSummary } from './indexState';
import { SUMMARY_KEY } from './tables';
import { userFlagColumns } from './userFlagColumns';

/**
 * A group filter on a group holding more than this share of all users is
 * checked per user rather than started from the group's members: walking
 * tens of thousands of members one primary-key lookup at a time costs more
 * than checking the users a search or page visits anyway.
 */
const LARGE_GROUP_SHARE = 0.1;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, m => `\\${m}`);
}

/**
 * How a group filter is checked: `members` starts from the group's rows in
 * the closure (cheap for small groups), `each` checks every user the query
 * visits against the closure's primary key (cheap for large groups, as a
 * search or page visits those users anyway).
 */
export type GroupCheck = 'members' | 'each';

export function applyUserFilter(
  query: Knex.QueryBuilder,
  knex: Knex,
  filter: UserFilter,
  groupCheck: GroupCheck = 'members',
): Knex.QueryBuilder {
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q.toLocaleLowerCase('en-US'))}%`;
    query.whereRaw(`${USERS}.search_text like ? escape '\\'`, [pattern]);
  }
  if (filter.group) {
    const group = filter.group;
    if (groupCheck === 'each') {
      query.whereExists(
        knex(CLOSURE)
          .select(knex.raw('1'))
          .where(`${CLOSURE}.user_ref`, knex.ref(`${USERS}.entity_ref`))
          .where(`${CLOSURE}.group_ref`, group),
      );
    } else {
      query.whereIn(
        `${USERS}.entity_ref`,
        knex(CLOSURE).select('user_ref').where('group_ref', group),
      );
    }
  }
  if (filter.sources?.length) {
    query.whereIn(`${USERS}.source`, filter.sources);
  }
  if (filter.statuses?.length) {
    const statuses = filter.statuses;
    query.where(inner => {
      for (const status of statuses) {
        inner.orWhere(`${USERS}.${userFlagColumns[status]}`, 1);
      }
    });
  }
  return query;
}

/** See {@link GroupCheck}. */
export async function groupCheckFor(
  knex: Knex,
  filter: UserFilter,
): Promise<GroupCheck> {
  if (!filter.group) {
    return 'members';
  }
  const [group, state] = await Promise.all([
    knex(GROUPS)
      .select('total_member_count')
      .where('entity_ref', filter.group)
      .first(),
    knex(STATE).select('value').where('key', SUMMARY_KEY).first(),
  ]);
  const totalUsers = parseSummary(state?.value)?.totalUsers;
  if (!group || !totalUsers) {
    return 'members';
  }
  return Number(group.total_member_count) > totalUsers * LARGE_GROUP_SHARE
    ? 'each'
    : 'members';
}
