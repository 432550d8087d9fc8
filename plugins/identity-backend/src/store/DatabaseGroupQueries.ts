import { Knex } from 'knex';
import { CLOSURE, GROUPS, USERS } from './engineRows';
import { fromGroupRow, GroupRow } from './groupRows';
import {
  IdentityGroupReader,
  ListedUser,
  PageRequest,
  StoredGroup,
  StoredGroupNode,
} from './IdentityStore';
import { chunk, IN_CHUNK } from './tables';
import { fromUserRow, listedUserColumns } from './userRows';

/** Groups of the index: the tree, a group, its members. */
export class DatabaseGroupQueries implements IdentityGroupReader {
  constructor(private readonly knex: Knex) {}

  async getGroupNodes(): Promise<StoredGroupNode[]> {
    const rows: Array<
      Pick<
        GroupRow,
        | 'entity_ref'
        | 'namespace'
        | 'name'
        | 'display_name'
        | 'parent_refs'
        | 'direct_member_count'
        | 'total_member_count'
      >
    > = await this.knex(GROUPS)
      .select(
        'entity_ref',
        'namespace',
        'name',
        'display_name',
        'parent_refs',
        'direct_member_count',
        'total_member_count',
      )
      .orderBy('entity_ref');
    return rows.map(row => ({
      entityRef: row.entity_ref,
      namespace: row.namespace,
      name: row.name,
      displayName: row.display_name ?? undefined,
      parentRefs: JSON.parse(row.parent_refs),
      directMemberCount: Number(row.direct_member_count),
      totalMemberCount: Number(row.total_member_count),
    }));
  }

  async getGroup(entityRef: string): Promise<StoredGroup | undefined> {
    const row = await this.knex(GROUPS).where('entity_ref', entityRef).first();
    return row ? fromGroupRow(row) : undefined;
  }

  async getGroupDisplayNames(
    groupRefs: string[],
  ): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    for (const batch of chunk(groupRefs, IN_CHUNK)) {
      const rows = await this.knex(GROUPS)
        .select('entity_ref', 'display_name')
        .whereIn('entity_ref', batch)
        .whereNotNull('display_name');
      rows.forEach(r => result.set(r.entity_ref, r.display_name));
    }
    return result;
  }

  async queryGroupMembers(
    groupRef: string,
    page: PageRequest,
  ): Promise<{
    items: Array<{ user: ListedUser; direct: boolean; path: string[] }>;
    totalItems: number;
  }> {
    const [{ count }] = await this.knex(CLOSURE)
      .where('group_ref', groupRef)
      .count({ count: '*' });
    const rows = await this.knex(CLOSURE)
      .join(USERS, `${USERS}.entity_ref`, `${CLOSURE}.user_ref`)
      .select(
        ...listedUserColumns,
        `${CLOSURE}.direct as membership_direct`,
        `${CLOSURE}.path as membership_path`,
      )
      .where(`${CLOSURE}.group_ref`, groupRef)
      .orderBy([
        { column: `${CLOSURE}.direct`, order: 'desc' },
        { column: `${USERS}.name_sort` },
        { column: `${USERS}.entity_ref` },
      ])
      .offset(page.offset)
      .limit(page.limit);
    return {
      items: rows.map(row => ({
        user: fromUserRow(row),
        direct: Boolean(Number(row.membership_direct)),
        path: JSON.parse(row.membership_path),
      })),
      totalItems: Number(count),
    };
  }
}
