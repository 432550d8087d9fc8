import { Knex } from 'knex';
import { ScimError } from '../errors/ScimError';
import { chunks } from './rows';
import { GroupMember, StoredUser } from './ScimStore';

type Db = Knex | Knex.Transaction;

/** The ids of the groups a user or group is a direct member of. */
export async function groupIdsOf(db: Db, memberId: string): Promise<string[]> {
  return db('scim_members').where({ member_id: memberId }).pluck('group_id');
}

/**
 * The ids of the users of the same IdP whose enterprise `manager` is this
 * user: their entities name the manager's ref.
 */
export async function reportsOf(
  db: Db,
  idp: string,
  managerId: string,
): Promise<string[]> {
  return db('scim_users')
    .where({ idp, manager_id: managerId })
    .whereNot({ id: managerId })
    .pluck('id');
}

/** Fills the `groups` of each user: its direct groups, by display name. */
export async function loadUserGroups(db: Db, users: StoredUser[]) {
  const byId = new Map(users.map(u => [u.id, u]));
  users.forEach(u => {
    u.groups = [];
  });
  for (const ids of chunks([...byId.keys()])) {
    const rows = await db('scim_members as m')
      .join('scim_groups as g', 'g.id', 'm.group_id')
      .whereIn('m.member_id', ids)
      .orderBy('g.display_name')
      .select('m.member_id', 'g.id', 'g.display_name');
    for (const row of rows) {
      byId.get(row.member_id)!.groups!.push({
        value: row.id,
        display: row.display_name,
      });
    }
  }
}

/** The direct members of each group, with their display names. */
export async function loadMembers(
  db: Db,
  groupIds: string[],
): Promise<Map<string, GroupMember[]>> {
  const result = new Map<string, GroupMember[]>(groupIds.map(id => [id, []]));
  for (const ids of chunks(groupIds)) {
    const rows = await db('scim_members as m')
      .leftJoin('scim_users as u', 'u.id', 'm.member_id')
      .leftJoin('scim_groups as g', 'g.id', 'm.member_id')
      .whereIn('m.group_id', ids)
      .orderBy(['m.group_id', 'm.member_id'])
      .select(
        'm.group_id',
        'm.member_id',
        'm.member_type',
        'u.display_name as user_display',
        'u.user_name',
        'g.display_name as group_display',
      );
    for (const row of rows) {
      result.get(row.group_id)!.push({
        value: row.member_id,
        type: row.member_type,
        display:
          row.member_type === 'User'
            ? row.user_display ?? row.user_name ?? undefined
            : row.group_display ?? undefined,
      });
    }
  }
  return result;
}

/**
 * Makes a group's members `next`, given that they are `current`. Members must
 * be users or groups of the same IdP. Answers who came and who went.
 */
export async function writeMembers(
  tx: Knex.Transaction,
  idp: string,
  groupId: string,
  current: string[],
  next: string[],
): Promise<{ added: GroupMember[]; removed: string[] }> {
  const wanted = new Set(next);
  const existing = new Set(current);
  const removed = current.filter(m => !wanted.has(m));
  const addedIds = [...wanted].filter(m => !existing.has(m));
  if (addedIds.includes(groupId)) {
    throw ScimError.badRequest('invalidValue', 'A group cannot contain itself');
  }
  const added: GroupMember[] = [];
  for (const ids of chunks(addedIds)) {
    const users: string[] = await tx('scim_users')
      .where({ idp })
      .whereIn('id', ids)
      .pluck('id');
    const groups: string[] = await tx('scim_groups')
      .where({ idp })
      .whereIn('id', ids)
      .pluck('id');
    const unknown = ids.filter(i => !users.includes(i) && !groups.includes(i));
    if (unknown.length) {
      throw ScimError.badRequest(
        'invalidValue',
        `Unknown members: ${unknown.join(', ')}`,
      );
    }
    added.push(
      ...users.map(value => ({ value, type: 'User' as const })),
      ...groups.map(value => ({ value, type: 'Group' as const })),
    );
  }
  for (const rows of chunks(added)) {
    await tx('scim_members').insert(
      rows.map(m => ({
        group_id: groupId,
        member_id: m.value,
        member_type: m.type,
      })),
    );
  }
  for (const ids of chunks(removed)) {
    await tx('scim_members')
      .where({ group_id: groupId })
      .whereIn('member_id', ids)
      .delete();
  }
  return { added, removed };
}
