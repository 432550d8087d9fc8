import { Knex } from 'knex';
import { Row, chunks, toGroup, toUser } from './rows';
import { managerIdOf } from './userColumns';
import { EntityGraph, GroupMember, ScimEntityGraphStore } from './ScimStore';

/**
 * Reads users, groups and memberships together, as the catalog's records
 * are built from them.
 */
export class DatabaseEntityGraphStore implements ScimEntityGraphStore {
  constructor(private readonly knex: Knex) {}

  async loadEntityGraph(selection?: {
    userIds: string[];
    groupIds: string[];
  }): Promise<EntityGraph> {
    const { userRows, groupRows, memberRows } = selection
      ? await this.readSelection(selection)
      : await this.readAll();
    const users = userRows.map(toUser);
    const groups = groupRows.map(toGroup);
    const userNames: EntityGraph['userNames'] = new Map(
      users.map(u => [
        u.id,
        { idp: u.idp, entityName: u.entityName, active: u.active },
      ]),
    );
    const groupNames: EntityGraph['groupNames'] = new Map(
      groups.map(g => [g.id, { idp: g.idp, entityName: g.entityName }]),
    );
    if (selection) {
      // Managers are named by ref on their reports' entities.
      const managerIds = users.flatMap(u => managerIdOf(u.resource) ?? []);
      await this.addNamesOfMembers(
        memberRows,
        managerIds,
        userNames,
        groupNames,
      );
    }
    const membersOf = new Map<string, GroupMember[]>();
    const groupsOf = new Map<string, string[]>();
    const seen = new Set<string>();
    for (const m of memberRows) {
      const key = `${m.group_id}/${m.member_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!membersOf.has(m.group_id)) membersOf.set(m.group_id, []);
      membersOf
        .get(m.group_id)!
        .push({ value: m.member_id, type: m.member_type });
      if (!groupsOf.has(m.member_id)) groupsOf.set(m.member_id, []);
      groupsOf.get(m.member_id)!.push(m.group_id);
    }
    return { users, groups, userNames, groupNames, membersOf, groupsOf };
  }

  private async readAll() {
    return {
      userRows: await this.knex('scim_users').orderBy('id'),
      groupRows: await this.knex('scim_groups').orderBy('id'),
      memberRows: await this.knex('scim_members'),
    };
  }

  /** The selected users and groups, and every membership they are in. */
  private async readSelection(selection: {
    userIds: string[];
    groupIds: string[];
  }) {
    const db = this.knex;
    const userRows: Row[] = [];
    const groupRows: Row[] = [];
    const memberRows: Row[] = [];
    for (const ids of chunks([...new Set(selection.userIds)])) {
      userRows.push(...(await db('scim_users').whereIn('id', ids)));
      memberRows.push(...(await db('scim_members').whereIn('member_id', ids)));
    }
    for (const ids of chunks([...new Set(selection.groupIds)])) {
      groupRows.push(...(await db('scim_groups').whereIn('id', ids)));
      memberRows.push(...(await db('scim_members').whereIn('group_id', ids)));
    }
    return { userRows, groupRows, memberRows };
  }

  /**
   * Names of the users and groups the memberships and managers name beyond
   * the selection.
   */
  private async addNamesOfMembers(
    memberRows: Row[],
    managerIds: string[],
    userNames: EntityGraph['userNames'],
    groupNames: EntityGraph['groupNames'],
  ) {
    const missingUsers = new Set(managerIds.filter(id => !userNames.has(id)));
    const missingGroups = new Set<string>();
    for (const m of memberRows) {
      if (!groupNames.has(m.group_id)) missingGroups.add(m.group_id);
      if (m.member_type === 'User' && !userNames.has(m.member_id)) {
        missingUsers.add(m.member_id);
      }
      if (m.member_type === 'Group' && !groupNames.has(m.member_id)) {
        missingGroups.add(m.member_id);
      }
    }
    for (const ids of chunks([...missingUsers])) {
      const rows = await this.knex('scim_users')
        .whereIn('id', ids)
        .select('id', 'idp', 'entity_name', 'active');
      rows.forEach(r =>
        userNames.set(r.id, {
          idp: r.idp,
          entityName: r.entity_name,
          active: Boolean(r.active),
        }),
      );
    }
    for (const ids of chunks([...missingGroups])) {
      const rows = await this.knex('scim_groups')
        .whereIn('id', ids)
        .select('id', 'idp', 'entity_name');
      rows.forEach(r =>
        groupNames.set(r.id, { idp: r.idp, entityName: r.entity_name }),
      );
    }
  }
}
