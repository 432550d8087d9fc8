import {
  IdentitySource,
  identityStatusFlags,
} from '@identity-governance/plugin-identity-common';
import { Knex } from 'knex';
import { AccessListedUser, AccessStore } from './AccessStore';
import { ClosureRow, PageRequest } from './IdentityStore';
import { userFlagColumns } from './userFlagColumns';

// The index's tables, as its migrations create them (see DatabaseIdentityStore).
const USERS = 'identity_users';
const CLOSURE = 'identity_user_groups';

/** Values per `IN (...)` list. */
const IN_CHUNK = 500;

const USER_COLUMNS = [
  'entity_ref',
  'namespace',
  'name',
  'display_name',
  'email',
  'source',
  'inherited_group_count',
  ...identityStatusFlags.map(f => userFlagColumns[f]),
].map(c => `${USERS}.${c}`);

type UserRow = Record<string, string | number | null>;

function fromRow(row: UserRow): AccessListedUser {
  const user: AccessListedUser = {
    entityRef: String(row.entity_ref),
    namespace: String(row.namespace),
    name: String(row.name),
    source: row.source as IdentitySource,
    flags: identityStatusFlags.filter(f => Number(row[userFlagColumns[f]])),
    inheritedGroupCount: Number(row.inherited_group_count),
  };
  if (row.display_name !== null) user.displayName = String(row.display_name);
  if (row.email !== null) user.email = String(row.email);
  return user;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, m => `\\${m}`);
}

/** {@link AccessStore} over the identity index's tables. */
export class DatabaseAccessStore implements AccessStore {
  constructor(private readonly knex: Knex) {}

  /** Users whose closure holds any of the groups, optionally searched. */
  private usersIn(groupRefs: string[], q?: string): Knex.QueryBuilder {
    const query = this.knex(USERS).whereIn(
      `${USERS}.entity_ref`,
      this.knex(CLOSURE).select('user_ref').whereIn('group_ref', groupRefs),
    );
    if (q) {
      const pattern = `%${escapeLike(q.toLocaleLowerCase('en-US'))}%`;
      query.whereRaw(`${USERS}.search_text like ? escape '\\'`, [pattern]);
    }
    return query;
  }

  async queryUsersInGroups(
    groupRefs: string[],
    q: string | undefined,
    page: PageRequest,
  ): Promise<{ items: AccessListedUser[]; totalItems: number }> {
    if (!groupRefs.length) {
      return { items: [], totalItems: 0 };
    }
    const [[{ count }], rows] = await Promise.all([
      this.usersIn(groupRefs, q).count({ count: '*' }),
      this.usersIn(groupRefs, q)
        .select(USER_COLUMNS)
        .orderBy([
          { column: `${USERS}.name_sort` },
          { column: `${USERS}.entity_ref` },
        ])
        .offset(page.offset)
        .limit(page.limit),
    ]);
    return { items: rows.map(fromRow), totalItems: Number(count) };
  }

  async *streamUsersInGroups(
    groupRefs: string[],
    batchSize: number,
  ): AsyncIterable<AccessListedUser[]> {
    if (!groupRefs.length) {
      return;
    }
    let after: string | undefined;
    for (;;) {
      const query = this.usersIn(groupRefs).select(USER_COLUMNS);
      if (after !== undefined) {
        query.where(`${USERS}.entity_ref`, '>', after);
      }
      const rows: UserRow[] = await query
        .orderBy(`${USERS}.entity_ref`, 'asc')
        .limit(batchSize);
      if (!rows.length) {
        return;
      }
      after = String(rows[rows.length - 1].entity_ref);
      yield rows.map(fromRow);
      if (rows.length < batchSize) {
        return;
      }
    }
  }

  async getUserRefsInGroups(groupRefs: string[]): Promise<Set<string>> {
    const result = new Set<string>();
    for (const batch of chunk(groupRefs, IN_CHUNK)) {
      const rows = await this.knex(CLOSURE)
        .distinct('user_ref')
        .whereIn('group_ref', batch);
      rows.forEach(r => result.add(r.user_ref));
    }
    return result;
  }

  async getAllUserRefs(): Promise<Set<string>> {
    const rows = await this.knex(USERS).select('entity_ref');
    return new Set(rows.map(r => r.entity_ref));
  }

  async getUsers(userRefs: string[]): Promise<AccessListedUser[]> {
    const result: AccessListedUser[] = [];
    for (const batch of chunk(userRefs, IN_CHUNK)) {
      const rows: UserRow[] = await this.knex(USERS)
        .select(USER_COLUMNS)
        .whereIn('entity_ref', batch);
      result.push(...rows.map(fromRow));
    }
    return result.sort((a, b) =>
      a.entityRef < b.entityRef ? -1 : Number(a.entityRef > b.entityRef),
    );
  }

  async getMembershipsIn(
    userRefs: string[],
    groupRefs: string[],
  ): Promise<Map<string, ClosureRow[]>> {
    const result = new Map<string, ClosureRow[]>(userRefs.map(r => [r, []]));
    if (!groupRefs.length) {
      return result;
    }
    for (const batch of chunk(userRefs, IN_CHUNK)) {
      const rows = await this.knex(CLOSURE)
        .select('user_ref', 'group_ref', 'direct', 'path')
        .whereIn('user_ref', batch)
        .whereIn('group_ref', groupRefs);
      for (const row of rows) {
        result.get(row.user_ref)?.push({
          userRef: row.user_ref,
          groupRef: row.group_ref,
          direct: Boolean(Number(row.direct)),
          path: JSON.parse(row.path),
        });
      }
    }
    for (const rows of result.values()) {
      rows.sort(
        (a, b) =>
          a.path.length - b.path.length ||
          (a.groupRef < b.groupRef ? -1 : Number(a.groupRef > b.groupRef)),
      );
    }
    return result;
  }
}
