import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  IdentitySource,
  identityStatusFlags,
} from '@identity-governance/plugin-identity-common';
import { Knex } from 'knex';
import { computeIndexSummary } from './computeIndexSummary';
import {
  CLOSURE,
  getUncounted,
  GROUPS,
  readEngineFingerprint,
  readGroupDeclarations,
  readUserDeclarations,
  readUsersTouching,
  replaceUncounted,
  setEngineFingerprint,
  STATE,
  UNCOUNTED,
  USERS,
} from './engineRows';
import { userFlagColumns } from './userFlagColumns';
import {
  ClosureRow,
  IdentityIndexWriter,
  IdentityStore,
  IndexedGroupWithDeclarations,
  IndexedUser,
  IndexedUserDetails,
  IndexSummary,
  IndexVersions,
  ListedUser,
  PageRequest,
  RefreshRecord,
  StoredGroup,
  StoredGroupNode,
  StoredUser,
  UncountedRow,
  UserFilter,
  UserSort,
} from './IdentityStore';

const migrationsDir = resolvePackagePath(
  '@identity-governance/plugin-identity-backend',
  'migrations',
);

const DETAILS = 'identity_user_details';
const DIRECT = 'identity_user_direct_groups';

/** `identity_state` keys. */
const INDEXED_AT_KEY = 'indexed_at';
const SUMMARY_KEY = 'summary';
const SCAN_MS_KEY = 'refresh_scan_ms';
const REQUESTED_AT_KEY = 'refresh_requested_at';

/** Rows per insert statement: stays far below every engine's bind limit. */
const INSERT_CHUNK = 200;
/** Values per `IN (...)` list. */
const IN_CHUNK = 500;
/**
 * A group filter on a group holding more than this share of all users is
 * checked per user rather than started from the group's members: walking
 * tens of thousands of members one primary-key lookup at a time costs more
 * than checking the users a search or page visits anyway.
 */
const LARGE_GROUP_SHARE = 0.1;

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
  uncounted_memberships: number;
  duplicate_email: number;
  direct_group_count: number;
  inherited_group_count: number;
};

/** The columns a {@link ListedUser} is read from. */
const LISTED_USER_COLUMNS = [
  'entity_ref',
  'uid',
  'etag',
  'namespace',
  'name',
  'display_name',
  'email',
  'source',
  'managed_by_location',
  'origin_location',
  'orphaned',
  'processing_errors',
  'deactivated',
  'scim_managed',
  'no_groups',
  'uncounted_memberships',
  'duplicate_email',
  'direct_group_count',
  'inherited_group_count',
] as const;

type ListedUserRow = Pick<UserRow, (typeof LISTED_USER_COLUMNS)[number]>;

const listedUserColumns = LISTED_USER_COLUMNS.map(c => `${USERS}.${c}`);

/** What a user without a details row reads as (none is written without). */
const NO_DETAILS: IndexedUserDetails = { annotations: {}, errors: [] };

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
  | 'uncounted_memberships'
  | 'duplicate_email'
  | 'direct_group_count'
  | 'inherited_group_count'
> & { declarations: string } {
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
    declarations: JSON.stringify(user.declarations),
  };
}

function fromUserRow(row: ListedUserRow): ListedUser {
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
    uncountedMemberships: Boolean(Number(row.uncounted_memberships)),
    duplicateEmail: Boolean(Number(row.duplicate_email)),
    directGroupCount: Number(row.direct_group_count),
    inheritedGroupCount: Number(row.inherited_group_count),
  };
}

function toGroupRow(group: IndexedGroupWithDeclarations): Omit<
  GroupRow,
  'direct_member_count' | 'total_member_count'
> & {
  declarations: string;
} {
  return {
    declarations: JSON.stringify(group.declarations),
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

/**
 * How a group filter is checked: `members` starts from the group's rows in
 * the closure (cheap for small groups), `each` checks every user the query
 * visits against the closure's primary key (cheap for large groups, as a
 * search or page visits those users anyway).
 */
type GroupCheck = 'members' | 'each';

function applyUserFilter(
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

function parseSummary(value: string | undefined): IndexSummary | undefined {
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
async function writeSummary(tx: Knex.Transaction): Promise<IndexSummary> {
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

class DatabaseIdentityIndexWriter implements IdentityIndexWriter {
  /** Whether a write changed what the summary counts. */
  changed = false;

  constructor(private readonly tx: Knex.Transaction) {}

  async readVersions(): Promise<IndexVersions> {
    const users = await this.tx(USERS).select('entity_ref', 'etag');
    const groups = await this.tx(GROUPS).select(
      'entity_ref',
      'etag',
      'parent_refs',
      'child_refs',
    );
    return {
      users: new Map(users.map(u => [u.entity_ref, u.etag])),
      groups: new Map(
        groups.map(g => [
          g.entity_ref,
          {
            etag: g.etag,
            parentRefs: JSON.parse(g.parent_refs),
            childRefs: JSON.parse(g.child_refs),
          },
        ]),
      ),
    };
  }

  async upsertUsers(users: IndexedUser[]): Promise<void> {
    if (!users.length) {
      return;
    }
    this.changed = true;
    for (const batch of chunk(users, INSERT_CHUNK)) {
      await this.tx(USERS)
        .insert(batch.map(toUserRow))
        .onConflict('entity_ref')
        .merge();
      await this.tx(DETAILS)
        .insert(
          batch.map(u => ({
            entity_ref: u.entityRef,
            details: JSON.stringify(u.details),
          })),
        )
        .onConflict('entity_ref')
        .merge();
    }
  }

  async upsertGroups(groups: IndexedGroupWithDeclarations[]): Promise<void> {
    if (groups.length) {
      this.changed = true;
    }
    for (const batch of chunk(groups, INSERT_CHUNK)) {
      await this.tx(GROUPS)
        .insert(batch.map(toGroupRow))
        .onConflict('entity_ref')
        .merge();
    }
  }

  async updateGroupEdges(
    edges: Map<string, { parentRefs: string[]; childRefs: string[] }>,
  ): Promise<void> {
    for (const [ref, e] of edges) {
      await this.tx(GROUPS)
        .where('entity_ref', ref)
        .update({
          parent_refs: JSON.stringify(e.parentRefs),
          child_refs: JSON.stringify(e.childRefs),
        });
    }
  }

  async removeUsers(userRefs: string[]): Promise<void> {
    if (userRefs.length) {
      this.changed = true;
    }
    for (const batch of chunk(userRefs, IN_CHUNK)) {
      await this.tx(CLOSURE).whereIn('user_ref', batch).delete();
      await this.tx(UNCOUNTED).whereIn('user_ref', batch).delete();
      await this.tx(DIRECT).whereIn('user_ref', batch).delete();
      await this.tx(DETAILS).whereIn('entity_ref', batch).delete();
      await this.tx(USERS).whereIn('entity_ref', batch).delete();
    }
  }

  async removeGroups(groupRefs: string[]): Promise<void> {
    if (groupRefs.length) {
      this.changed = true;
    }
    for (const batch of chunk(groupRefs, IN_CHUNK)) {
      await this.tx(GROUPS).whereIn('entity_ref', batch).delete();
    }
  }

  readGroupDeclarations() {
    return readGroupDeclarations(this.tx);
  }

  readUserDeclarations(userRefs: string[] | 'all') {
    return readUserDeclarations(this.tx, userRefs);
  }

  readUsersTouching(groupRefs: string[]) {
    return readUsersTouching(this.tx, groupRefs);
  }

  async replaceUncounted(userRefs: string[], rows: UncountedRow[]) {
    if (userRefs.length) {
      // The flag the summary counts follows the rows written here.
      this.changed = true;
    }
    await replaceUncounted(this.tx, userRefs, rows);
  }

  readEngineFingerprint() {
    return readEngineFingerprint(this.tx);
  }

  setEngineFingerprint(fingerprint: string) {
    return setEngineFingerprint(this.tx, fingerprint);
  }

  async replaceClosure(userRefs: string[], rows: ClosureRow[]): Promise<void> {
    if (userRefs.length) {
      // The no-groups flag follows the direct counts written here.
      this.changed = true;
    }
    for (const batch of chunk(userRefs, IN_CHUNK)) {
      await this.tx(CLOSURE).whereIn('user_ref', batch).delete();
      await this.tx(DIRECT).whereIn('user_ref', batch).delete();
    }
    const directRows = rows
      .filter(r => r.direct)
      .map(r => ({ user_ref: r.userRef, group_ref: r.groupRef }));
    // SQLite refuses a multi-row insert (a compound SELECT to knex) of more
    // than 500 rows.
    for (const batch of chunk(directRows, INSERT_CHUNK * 2)) {
      await this.tx(DIRECT).insert(batch);
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
    this.changed = true;
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

  async setIndexedAt(date: Date, scanMs: number): Promise<void> {
    await this.tx(STATE)
      .insert([
        { key: INDEXED_AT_KEY, value: date.toISOString() },
        { key: SCAN_MS_KEY, value: String(Math.round(scanMs)) },
      ])
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
    return this.knex.transaction(async tx => {
      const writer = new DatabaseIdentityIndexWriter(tx);
      const result = await fn(writer);
      // Counting 50,000 users on every summary request blocked the event loop
      // (better-sqlite3 is synchronous); a write that changed the index
      // counts once, in its own transaction, so the two never disagree.
      if (writer.changed) {
        await writeSummary(tx);
      }
      return result;
    });
  }

  /**
   * Whether a users query finds the search's matches before it sorts them:
   * on PostgreSQL, where the trigram index (migration
   * 20261123180000_search_trigram) finds them, for terms of three characters
   * or more (shorter ones have no trigram to look up). SQLite has no such
   * index and scans either way; walking the sort order there stops after one
   * page of matches.
   */
  #searchesFirst(filter: UserFilter): boolean {
    return (
      String(this.knex.client.config.client).includes('pg') &&
      (filter.q?.trim().length ?? 0) >= 3
    );
  }

  async queryUsers(
    filter: UserFilter,
    sort: UserSort,
    page: PageRequest,
  ): Promise<{ items: ListedUser[]; totalItems: number }> {
    const groupCheck = await this.groupCheckFor(filter);
    const count = async () => {
      const [row] = await applyUserFilter(
        this.knex(USERS),
        this.knex,
        filter,
        groupCheck,
      ).count({ count: '*' });
      return Number(row.count);
    };
    const sortColumn = sortColumns[sort.field];
    const searchesFirst = this.#searchesFirst(filter);
    let query: Knex.QueryBuilder;
    if (searchesFirst) {
      // PostgreSQL would rather walk the sort order's index and test each
      // row against the search, which reads thousands of rows for a name
      // whose matches sort late. Found through the trigram index first, the
      // matches are read once, counted with a window function (no second
      // query reading them again), and sorting them is cheap.
      const columns = [
        ...new Set<string>([...LISTED_USER_COLUMNS, sortColumn, 'name_sort']),
      ].map(c => `${USERS}.${c}`);
      query = this.knex
        .withMaterialized(
          'matches',
          applyUserFilter(
            this.knex(USERS).select(columns),
            this.knex,
            filter,
            groupCheck,
          ),
        )
        .select([
          ...LISTED_USER_COLUMNS,
          this.knex.raw('count(*) over () as total_count'),
        ])
        .from('matches');
    } else {
      query = applyUserFilter(
        this.knex(USERS).select(listedUserColumns),
        this.knex,
        filter,
        groupCheck,
      );
    }
    query.orderBy(sortColumn, sort.order);
    // Ties read alphabetically whatever the direction, and stay stable across
    // pages. Sorting by name twice would keep SQLite from walking the name
    // index, and so from stopping after one page.
    if (sort.field !== 'name') {
      query.orderBy('name_sort', 'asc');
    }
    const paged = query
      .orderBy('entity_ref', 'asc')
      .offset(page.offset)
      .limit(page.limit) as Promise<
      Array<ListedUserRow & { total_count?: number | string }>
    >;
    if (searchesFirst) {
      // Each row carries the number of matches; only a page past the last
      // match needs them counted again.
      const rows = await paged;
      const totalItems = rows.length
        ? Number(rows[0].total_count)
        : page.offset && (await count());
      return { items: rows.map(fromUserRow), totalItems };
    }
    // The count and the page run side by side where the pool allows it
    // (PostgreSQL); SQLite's one connection takes them in turn.
    const [totalItems, rows] = await Promise.all([count(), paged]);
    return { items: rows.map(fromUserRow), totalItems };
  }

  async *streamUsers(
    filter: UserFilter,
    batchSize: number,
  ): AsyncIterable<ListedUser[]> {
    const groupCheck = await this.groupCheckFor(filter);
    let after: string | undefined;
    for (;;) {
      const query = applyUserFilter(
        this.knex(USERS).select(listedUserColumns),
        this.knex,
        filter,
        groupCheck,
      );
      if (after !== undefined) {
        query.where(`${USERS}.entity_ref`, '>', after);
      }
      const rows: ListedUserRow[] = await query
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
    const row = await this.knex(USERS)
      .leftJoin(DETAILS, `${DETAILS}.entity_ref`, `${USERS}.entity_ref`)
      .select([...listedUserColumns, `${DETAILS}.details`])
      .where(`${USERS}.entity_ref`, entityRef)
      .first();
    if (!row) {
      return undefined;
    }
    return {
      ...fromUserRow(row),
      details: row.details ? JSON.parse(row.details) : NO_DETAILS,
    };
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

  getUncounted(userRef: string): Promise<UncountedRow[]> {
    return getUncounted(this.knex, userRef);
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

  async summary(): Promise<IndexSummary & { indexedAt?: string }> {
    const state = await this.readState([SUMMARY_KEY, INDEXED_AT_KEY]);
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
    };
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

  /** See {@link GroupCheck}. */
  private async groupCheckFor(filter: UserFilter): Promise<GroupCheck> {
    if (!filter.group) {
      return 'members';
    }
    const [group, state] = await Promise.all([
      this.knex(GROUPS)
        .select('total_member_count')
        .where('entity_ref', filter.group)
        .first(),
      this.knex(STATE).select('value').where('key', SUMMARY_KEY).first(),
    ]);
    const totalUsers = parseSummary(state?.value)?.totalUsers;
    if (!group || !totalUsers) {
      return 'members';
    }
    return Number(group.total_member_count) > totalUsers * LARGE_GROUP_SHARE
      ? 'each'
      : 'members';
  }
}
