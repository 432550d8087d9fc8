import { Knex } from 'knex';
import { applyUserFilter, groupCheckFor } from './applyUserFilter';
import { CLOSURE, getUncounted, USERS } from './engineRows';
import {
  ClosureRow,
  IdentityUserReader,
  ListedUser,
  PageRequest,
  StoredUser,
  UncountedRow,
  UserFilter,
  UserSort,
} from './IdentityStore';
import { chunk, DETAILS, DIRECT, IN_CHUNK } from './tables';
import {
  fromUserRow,
  LISTED_USER_COLUMNS,
  ListedUserRow,
  listedUserColumns,
  NO_DETAILS,
  sortColumns,
} from './userRows';

/** Users of the index: listings, the export's batches, details, closures. */
export class DatabaseUserQueries implements IdentityUserReader {
  constructor(private readonly knex: Knex) {}

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
    const groupCheck = await groupCheckFor(this.knex, filter);
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
    const groupCheck = await groupCheckFor(this.knex, filter);
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
}
