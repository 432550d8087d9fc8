import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  IdentitySource,
  IdentityStatusFlag,
  identityStatusFlags,
} from '@identity-governance/plugin-identity-common';
import { Knex } from 'knex';
import {
  ClosureRow,
  IdentityIndexWriter,
  IdentityStore,
  IndexedGroup,
  IndexedUser,
  IndexVersions,
  PageRequest,
  StoredGroup,
  StoredUser,
  UserFilter,
  UserSort,
} from './IdentityStore';

const migrationsDir = resolvePackagePath(
  '@identity-governance/plugin-identity-backend',
  'migrations',
);

const USERS = 'identity_users';
const GROUPS = 'identity_groups';
const DIRECT = 'identity_user_direct_groups';
const CLOSURE = 'identity_user_groups';
const STATE = 'identity_state';

/** Rows per insert statement: stays far below every engine's bind limit. */
const INSERT_CHUNK = 200;
/** Values per `IN (...)` list. */
const IN_CHUNK = 500;

const flagColumns: Record<IdentityStatusFlag, string> = {
  orphaned: 'orphaned',
  processingErrors: 'processing_errors',
  noGroups: 'no_groups',
  duplicateEmail: 'duplicate_email',
  deactivated: 'deactivated',
};

const sortColumns: Record<UserSort['field'], string> = {
  name: 'name_sort',
  displayName: 'display_sort',
  email: 'email_sort',
  source: 'source',
  directGroupCount: 'direct_group_count',
  inheritedGroupCount: 'inherited_group_count',
};

type UserRow = {
  entity_ref: string;
  uid: string | null;
  etag: string;
  namespace: string;
  name: string;
  display_name: string | null;
  email: string | null;
  search_text: string;
  name_sort: string;
  display_sort: string;
  email_sort: string;
  source: string;
  managed_by_location: string | null;
  origin_location: string | null;
  orphaned: number;
  processing_errors: number;
  deactivated: number;
  scim_managed: number;
  no_groups: number;
  duplicate_email: number;
  direct_group_count: number;
  inherited_group_count: number;
  details: string;
};

type GroupRow = {
  entity_ref: string;
  etag: string;
  namespace: string;
  name: string;
  display_name: string | null;
  source: string;
  managed_by_location: string | null;
  parent_refs: string;
  child_refs: string;
  direct_member_count: number;
  total_member_count: number;
};

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/** Sort keys are bounded so that they fit an indexed varchar(255). */
function sortKey(value: string | undefined): string {
  return (value ?? '').toLocaleLowerCase('en-US').slice(0, 200);
}

function toUserRow(
  user: IndexedUser,
): Omit<
  UserRow,
  | 'no_groups'
  | 'duplicate_email'
  | 'direct_group_count'
  | 'inherited_group_count'
> {
  return {
    entity_ref: user.entityRef,
    uid: user.uid ?? null,
    etag: user.etag,
    namespace: user.namespace,
    name: user.name,
    display_name: user.displayName ?? null,
    email: user.email ?? null,
    search_text: [user.name, user.displayName ?? '', user.email ?? '']
      .join('\n')
      .toLocaleLowerCase('en-US'),
    name_sort: sortKey(user.name),
    display_sort: sortKey(user.displayName),
    email_sort: sortKey(user.email),
    source: user.source,
    managed_by_location: user.managedByLocation ?? null,
    origin_location: user.originLocation ?? null,
    orphaned: user.orphaned ? 1 : 0,
    processing_errors: user.processingErrors ? 1 : 0,
    deactivated: user.deactivated ? 1 : 0,
    scim_managed: user.scimManaged ? 1 : 0,
    details: JSON.stringify(user.details),
  };
}

function fromUserRow(row: UserRow): StoredUser {
  return {
    entityRef: row.entity_ref,
    uid: row.uid ?? undefined,
    etag: row.etag,
    namespace: row.namespace,
    name: row.name,
    displayName: row.display_name ?? undefined,
    email: row.email ?? undefined,
    source: row.source as IdentitySource,
    managedByLocation: row.managed_by_location ?? undefined,
    originLocation: row.origin_location ?? undefined,
    orphaned: Boolean(Number(row.orphaned)),
    processingErrors: Boolean(Number(row.processing_errors)),
    deactivated: Boolean(Number(row.deactivated)),
    scimManaged: Boolean(Number(row.scim_managed)),
    noGroups: Boolean(Number(row.no_groups)),
    duplicateEmail: Boolean(Number(row.duplicate_email)),
    directGroupCount: Number(row.direct_group_count),
    inheritedGroupCount: Number(row.inherited_group_count),
    details: JSON.parse(row.details),
  };
}

function toGroupRow(
  group: IndexedGroup,
): Omit<GroupRow, 'direct_member_count' | 'total_member_count'> {
  return {
    entity_ref: group.entityRef,
    etag: group.etag,
    namespace: group.namespace,
    name: group.name,
    display_name: group.displayName ?? null,
    source: group.source,
    managed_by_location: group.managedByLocation ?? null,
    parent_refs: JSON.stringify(group.parentRefs),
    child_refs: JSON.stringify(group.childRefs),
  };
}

function fromGroupRow(row: GroupRow): StoredGroup {
  return {
    entityRef: row.entity_ref,
    etag: row.etag,
    namespace: row.namespace,
    name: row.name,
    displayName: row.display_name ?? undefined,
    source: row.source as IdentitySource,
    managedByLocation: row.managed_by_location ?? undefined,
    parentRefs: JSON.parse(row.parent_refs),
    childRefs: JSON.parse(row.child_refs),
    directMemberCount: Number(row.direct_member_count),
    totalMemberCount: Number(row.total_member_count),
  };
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, m => `\\${m}`);
}

function applyUserFilter(
  query: Knex.QueryBuilder,
  knex: Knex,
  filter: UserFilter,
): Knex.QueryBuilder {
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q.toLocaleLowerCase('en-US'))}%`;
    query.whereRaw(`${USERS}.search_text like ? escape '\\'`, [pattern]);
  }
  if (filter.group) {
    query.whereIn(
      `${USERS}.entity_ref`,
      knex(CLOSURE).select('user_ref').where('group_ref', filter.group),
    );
  }
  if (filter.sources?.length) {
    query.whereIn(`${USERS}.source`, filter.sources);
  }
  if (filter.statuses?.length) {
    const statuses = filter.statuses;
    query.where(inner => {
      for (const status of statuses) {
        inner.orWhere(`${USERS}.${flagColumns[status]}`, 1);
      }
    });
  }
  return query;
}

class DatabaseIdentityIndexWriter implements IdentityIndexWriter {
  constructor(private readonly tx: Knex.Transaction) {}

  async readVersions(): Promise<IndexVersions> {
    const users = await this.tx(USERS).select('entity_ref', 'etag');
    const groups = await this.tx(GROUPS).select(
      'entity_ref',
      'etag',
      'parent_refs',
    );
    return {
      users: new Map(users.map(u => [u.entity_ref, u.etag])),
      groups: new Map(
        groups.map(g => [
          g.entity_ref,
          { etag: g.etag, parentRefs: JSON.parse(g.parent_refs) },
        ]),
      ),
    };
  }

  async upsertUsers(
    users: IndexedUser[],
    directGroups: Map<string, string[]>,
  ): Promise<void> {
    for (const batch of chunk(users, INSERT_CHUNK)) {
      await this.tx(USERS)
        .insert(batch.map(toUserRow))
        .onConflict('entity_ref')
        .merge();
    }
    const refs = users.map(u => u.entityRef);
    for (const batch of chunk(refs, IN_CHUNK)) {
      await this.tx(DIRECT).whereIn('user_ref', batch).delete();
    }
    const rows = users.flatMap(u =>
      (directGroups.get(u.entityRef) ?? []).map(g => ({
        user_ref: u.entityRef,
        group_ref: g,
      })),
    );
    for (const batch of chunk(rows, INSERT_CHUNK * 4)) {
      await this.tx(DIRECT).insert(batch);
    }
  }

  async upsertGroups(groups: IndexedGroup[]): Promise<void> {
    for (const batch of chunk(groups, INSERT_CHUNK)) {
      await this.tx(GROUPS)
        .insert(batch.map(toGroupRow))
        .onConflict('entity_ref')
        .merge();
    }
  }

  async removeUsers(userRefs: string[]): Promise<void> {
    for (const batch of chunk(userRefs, IN_CHUNK)) {
      await this.tx(CLOSURE).whereIn('user_ref', batch).delete();
      await this.tx(DIRECT).whereIn('user_ref', batch).delete();
      await this.tx(USERS).whereIn('entity_ref', batch).delete();
    }
  }

  async removeGroups(groupRefs: string[]): Promise<void> {
    for (const batch of chunk(groupRefs, IN_CHUNK)) {
      await this.tx(GROUPS).whereIn('entity_ref', batch).delete();
    }
  }

  async readDirectGroups(
    userRefs: string[] | 'all',
  ): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    const add = (rows: Array<{ user_ref: string; group_ref: string }>) => {
      for (const row of rows) {
        const list = result.get(row.user_ref);
        if (list) {
          list.push(row.group_ref);
        } else {
          result.set(row.user_ref, [row.group_ref]);
        }
      }
    };
    if (userRefs === 'all') {
      add(await this.tx(DIRECT).select('user_ref', 'group_ref'));
    } else {
      for (const batch of chunk(userRefs, IN_CHUNK)) {
        add(
          await this.tx(DIRECT)
            .select('user_ref', 'group_ref')
            .whereIn('user_ref', batch),
        );
      }
    }
    return result;
  }

  async readDirectMembers(groupRefs: string[]): Promise<string[]> {
    const users = new Set<string>();
    for (const batch of chunk(groupRefs, IN_CHUNK)) {
      const rows = await this.tx(DIRECT)
        .distinct('user_ref')
        .whereIn('group_ref', batch);
      rows.forEach(r => users.add(r.user_ref));
    }
    return [...users];
  }

  async replaceClosure(userRefs: string[], rows: ClosureRow[]): Promise<void> {
    for (const batch of chunk(userRefs, IN_CHUNK)) {
      await this.tx(CLOSURE).whereIn('user_ref', batch).delete();
    }
    for (const batch of chunk(rows, INSERT_CHUNK * 2)) {
      await this.tx(CLOSURE).insert(
        batch.map(r => ({
          user_ref: r.userRef,
          group_ref: r.groupRef,
          direct: r.direct ? 1 : 0,
          path: JSON.stringify(r.path),
        })),
      );
    }
    // Counts are written per distinct value so that a full rebuild costs a
    // handful of statements rather than one per user.
    const counts = new Map<string, { direct: number; inherited: number }>();
    for (const ref of userRefs) {
      counts.set(ref, { direct: 0, inherited: 0 });
    }
    for (const row of rows) {
      const c = counts.get(row.userRef);
      if (c) {
        if (row.direct) {
          c.direct += 1;
        } else {
          c.inherited += 1;
        }
      }
    }
    const byValue = new Map<string, string[]>();
    for (const [ref, c] of counts) {
      const key = `${c.direct}:${c.inherited}`;
      const list = byValue.get(key);
      if (list) {
        list.push(ref);
      } else {
        byValue.set(key, [ref]);
      }
    }
    for (const [key, refs] of byValue) {
      const [direct, inherited] = key.split(':').map(Number);
      for (const batch of chunk(refs, IN_CHUNK)) {
        await this.tx(USERS)
          .whereIn('entity_ref', batch)
          .update({
            direct_group_count: direct,
            inherited_group_count: inherited,
            no_groups: direct === 0 ? 1 : 0,
          });
      }
    }
  }

  async recomputeDuplicateEmails(): Promise<void> {
    const duplicates = this.tx(USERS)
      .select('email_sort')
      .whereNot('email_sort', '')
      .groupBy('email_sort')
      .havingRaw('count(*) > 1');
    await this.tx(USERS)
      .where('duplicate_email', 1)
      .whereNotIn('email_sort', duplicates.clone())
      .update({ duplicate_email: 0 });
    await this.tx(USERS)
      .where('duplicate_email', 0)
      .whereIn('email_sort', duplicates.clone())
      .update({ duplicate_email: 1 });
  }

  async recomputeGroupCounts(): Promise<void> {
    const current = await this.tx(GROUPS).select(
      'entity_ref',
      'direct_member_count',
      'total_member_count',
    );
    const counted: Array<{
      group_ref: string;
      direct: unknown;
      total: unknown;
    }> = await this.tx(CLOSURE)
      .select('group_ref')
      .sum({ direct: 'direct' })
      .count({ total: '*' })
      .groupBy('group_ref');
    const byGroup = new Map(
      counted.map(c => [
        c.group_ref as string,
        { direct: Number(c.direct), total: Number(c.total) },
      ]),
    );
    for (const group of current) {
      const c = byGroup.get(group.entity_ref) ?? { direct: 0, total: 0 };
      if (
        Number(group.direct_member_count) !== c.direct ||
        Number(group.total_member_count) !== c.total
      ) {
        await this.tx(GROUPS).where('entity_ref', group.entity_ref).update({
          direct_member_count: c.direct,
          total_member_count: c.total,
        });
      }
    }
  }

  async setIndexedAt(date: Date): Promise<void> {
    await this.tx(STATE)
      .insert({ key: 'indexed_at', value: date.toISOString() })
      .onConflict('key')
      .merge();
  }
}

/** The identity index in the plugin's own database. */
export class DatabaseIdentityStore implements IdentityStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseIdentityStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseIdentityStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  async write<T>(fn: (writer: IdentityIndexWriter) => Promise<T>): Promise<T> {
    return this.knex.transaction(tx => fn(new DatabaseIdentityIndexWriter(tx)));
  }

  async queryUsers(
    filter: UserFilter,
    sort: UserSort,
    page: PageRequest,
  ): Promise<{ items: StoredUser[]; totalItems: number }> {
    const [{ count }] = await applyUserFilter(
      this.knex(USERS),
      this.knex,
      filter,
    ).count({ count: '*' });
    const rows: UserRow[] = await applyUserFilter(
      this.knex(USERS).select('*'),
      this.knex,
      filter,
    )
      .orderBy(sortColumns[sort.field], sort.order)
      // Ties read alphabetically whatever the direction, and stay stable
      // across pages.
      .orderBy('name_sort', 'asc')
      .orderBy('entity_ref', 'asc')
      .offset(page.offset)
      .limit(page.limit);
    return { items: rows.map(fromUserRow), totalItems: Number(count) };
  }

  async *streamUsers(
    filter: UserFilter,
    batchSize: number,
  ): AsyncIterable<StoredUser[]> {
    let after: string | undefined;
    for (;;) {
      const query = applyUserFilter(
        this.knex(USERS).select('*'),
        this.knex,
        filter,
      );
      if (after !== undefined) {
        query.where(`${USERS}.entity_ref`, '>', after);
      }
      const rows: UserRow[] = await query
        .orderBy('entity_ref', 'asc')
        .limit(batchSize);
      if (!rows.length) {
        return;
      }
      after = rows[rows.length - 1].entity_ref;
      yield rows.map(fromUserRow);
      if (rows.length < batchSize) {
        return;
      }
    }
  }

  async getUser(entityRef: string): Promise<StoredUser | undefined> {
    const row = await this.knex(USERS).where('entity_ref', entityRef).first();
    return row ? fromUserRow(row) : undefined;
  }

  async getDirectGroups(userRefs: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(userRefs.map(r => [r, []]));
    for (const batch of chunk(userRefs, IN_CHUNK)) {
      const rows = await this.knex(DIRECT)
        .select('user_ref', 'group_ref')
        .whereIn('user_ref', batch)
        .orderBy('group_ref');
      for (const row of rows) {
        result.get(row.user_ref)?.push(row.group_ref);
      }
    }
    return result;
  }

  async getClosure(userRefs: string[]): Promise<Map<string, ClosureRow[]>> {
    const result = new Map<string, ClosureRow[]>(userRefs.map(r => [r, []]));
    for (const batch of chunk(userRefs, IN_CHUNK)) {
      const rows = await this.knex(CLOSURE)
        .select('user_ref', 'group_ref', 'direct', 'path')
        .whereIn('user_ref', batch)
        .orderBy([
          { column: 'user_ref' },
          { column: 'direct', order: 'desc' },
          { column: 'group_ref' },
        ]);
      for (const row of rows) {
        result.get(row.user_ref)?.push({
          userRef: row.user_ref,
          groupRef: row.group_ref,
          direct: Boolean(Number(row.direct)),
          path: JSON.parse(row.path),
        });
      }
    }
    return result;
  }

  async getGroups(): Promise<StoredGroup[]> {
    const rows: GroupRow[] = await this.knex(GROUPS)
      .select('*')
      .orderBy('entity_ref');
    return rows.map(fromGroupRow);
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
    items: Array<{ user: StoredUser; direct: boolean; path: string[] }>;
    totalItems: number;
  }> {
    const [{ count }] = await this.knex(CLOSURE)
      .where('group_ref', groupRef)
      .count({ count: '*' });
    const rows = await this.knex(CLOSURE)
      .join(USERS, `${USERS}.entity_ref`, `${CLOSURE}.user_ref`)
      .select(
        `${USERS}.*`,
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

  async summary() {
    const [totals] = await this.knex(USERS).select(
      this.knex.raw('count(*) as total'),
      ...identityStatusFlags.map(flag =>
        this.knex.raw(`coalesce(sum(${flagColumns[flag]}), 0) as ??`, [flag]),
      ),
    );
    const [{ count: totalGroups }] = await this.knex(GROUPS).count({
      count: '*',
    });
    const sources: Array<{ source: string; count: unknown }> = await this.knex(
      USERS,
    )
      .select('source')
      .count({ count: '*' })
      .groupBy('source');
    const state = await this.knex(STATE).where('key', 'indexed_at').first();
    const byStatus = Object.fromEntries(
      identityStatusFlags.map(flag => [flag, Number(totals[flag])]),
    ) as Record<IdentityStatusFlag, number>;
    return {
      totalUsers: Number(totals.total),
      totalGroups: Number(totalGroups),
      bySource: Object.fromEntries(
        sources.map(s => [s.source as IdentitySource, Number(s.count)]),
      ),
      byStatus,
      indexedAt: state?.value,
    };
  }
}
