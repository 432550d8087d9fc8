/*
 * Database sizing for bench/capacity: every PostgreSQL database of one
 * production-shaped run (one per plugin, `<prefix><pluginId>`), each table's
 * rows (count(*), exact), dead rows and rows written (the statistics'
 * counters: inserted, updated, deleted since the database was created) and size
 * (pg_total_relation_size: the table, its indexes and TOAST), and which of
 * its rows are about users and which about groups.
 *
 * A row is a user's or a group's by the first of these that the table has:
 * an `entity_ref` column (catalog refresh_state, scim_history, the identity
 * index); `source_entity_ref` with a relation `type` (catalog relations: a
 * memberOf row is the user's, hasMember and parentOf/childOf the group's);
 * `target_entity_ref` (refresh_state_references); `entity_id`, looked up in
 * the catalog's refresh_state (final_entities, search); `resource_type`;
 * `user_ref` or `user_id` (a user's memberships); `group_id` (a group's
 * members); a foreign key to a table named for users or groups (scim_values,
 * a user's emails); else the table's name (scim_users, scim_groups). Other
 * rows (locations, the scheduler's tasks, migrations) are "other". A
 * table's bytes are shared out in proportion to its rows.
 */
import knexFactory, { Knex } from 'knex';

export type Kind = 'user' | 'group' | 'other';

export interface TableSize {
  table: string;
  rows: number;
  deadRows: number;
  bytes: number;
  /**
   * Rows inserted, updated, deleted since the database was created (the
   * statistics' counters; each phase's databases are new, so: in the phase).
   */
  writes: { inserted: number; updated: number; deleted: number };
  rowsByKind: Record<Kind, number>;
  /** How rows were attributed to users and groups. */
  rule: string;
}

export interface DatabaseSize {
  database: string;
  /** The database name without the run's prefix: the plugin id. */
  plugin: string;
  /** pg_database_size: with the system catalogs of an empty database. */
  databaseBytes: number;
  tables: TableSize[];
}

function connect(database: string): Knex {
  return knexFactory({
    client: 'pg',
    connection: {
      host: process.env.POSTGRES_HOST ?? '127.0.0.1',
      port: Number(process.env.POSTGRES_PORT ?? 5432),
      user: process.env.POSTGRES_USER ?? 'postgres',
      password: process.env.POSTGRES_PASSWORD ?? 'unused',
      database,
    },
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 30_000,
  });
}

/** PostgreSQL's version and whether autovacuum runs (it is off here). */
export async function serverInfo() {
  const db = connect('postgres');
  try {
    const version = (await db.raw('SHOW server_version')).rows[0]
      .server_version as string;
    const autovacuum = (await db.raw('SHOW autovacuum')).rows[0]
      .autovacuum as string;
    return { version, autovacuum };
  } finally {
    await db.destroy();
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function measureDatabase(
  database: string,
  plugin: string,
): Promise<DatabaseSize> {
  const db = connect(database);
  try {
    const databaseBytes = Number(
      (await db.raw('SELECT pg_database_size(current_database()) AS b')).rows[0]
        .b,
    );
    const { rows: tables } = await db.raw(`
      SELECT n.nspname AS schema, c.relname AS name,
             pg_total_relation_size(c.oid) AS bytes,
             coalesce(s.n_dead_tup, 0) AS dead,
             coalesce(s.n_tup_ins, 0) AS ins,
             coalesce(s.n_tup_upd, 0) AS upd,
             coalesce(s.n_tup_del, 0) AS del
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE c.relkind IN ('r', 'p')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg_toast%'
      ORDER BY 1, 2`);
    const { rows: columnRows } = await db.raw(`
      SELECT table_schema AS schema, table_name AS name, column_name AS col
      FROM information_schema.columns
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`);
    const columns = new Map<string, Set<string>>();
    for (const c of columnRows) {
      const key = `${c.schema}.${c.name}`;
      columns.set(key, (columns.get(key) ?? new Set()).add(c.col));
    }
    const hasRefreshState = tables.some(
      (t: any) => t.schema === 'public' && t.name === 'refresh_state',
    );
    // The table each table's foreign keys point at.
    const { rows: fkRows } = await db.raw(`
      SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
      FROM pg_constraint c WHERE c.contype = 'f'`);
    const references = new Map<string, string[]>();
    for (const f of fkRows) {
      const child = String(f.child).replace(/^public\./, '');
      references.set(child, [
        ...(references.get(child) ?? []),
        String(f.parent).replace(/^public\./, ''),
      ]);
    }
    const result: TableSize[] = [];
    for (const t of tables) {
      const cols = columns.get(`${t.schema}.${t.name}`) ?? new Set<string>();
      const from = `${quote(t.schema)}.${quote(t.name)}`;
      const label = t.schema === 'public' ? t.name : `${t.schema}.${t.name}`;
      let kindSql: string;
      let join = '';
      let rule: string;
      const refKind = (col: string) =>
        `lower(split_part(${col}::text, ':', 1))`;
      if (cols.has('entity_ref')) {
        kindSql = refKind('t.entity_ref');
        rule = 'entity_ref';
      } else if (cols.has('source_entity_ref') && cols.has('type')) {
        kindSql = refKind('t.source_entity_ref');
        rule = 'source_entity_ref';
      } else if (cols.has('target_entity_ref')) {
        kindSql = refKind('t.target_entity_ref');
        rule = 'target_entity_ref';
      } else if (
        cols.has('entity_id') &&
        hasRefreshState &&
        t.name !== 'refresh_state'
      ) {
        join = 'LEFT JOIN public.refresh_state r ON r.entity_id = t.entity_id';
        kindSql = refKind('r.entity_ref');
        rule = 'entity_id in refresh_state';
      } else if (cols.has('resource_type')) {
        kindSql = 'lower(t.resource_type)';
        rule = 'resource_type';
      } else if (cols.has('user_ref') || cols.has('user_id')) {
        kindSql = `'user'`;
        rule = cols.has('user_ref') ? 'user_ref' : 'user_id';
      } else if (cols.has('group_id')) {
        kindSql = `'group'`;
        rule = 'group_id';
      } else if (references.get(label)?.some(r => /user/.test(r))) {
        kindSql = `'user'`;
        rule = `foreign key to ${references
          .get(label)!
          .find(r => /user/.test(r))}`;
      } else if (references.get(label)?.some(r => /group/.test(r))) {
        kindSql = `'group'`;
        rule = `foreign key to ${references
          .get(label)!
          .find(r => /group/.test(r))}`;
      } else if (/user/.test(t.name)) {
        kindSql = `'user'`;
        rule = 'table name';
      } else if (/group/.test(t.name)) {
        kindSql = `'group'`;
        rule = 'table name';
      } else {
        kindSql = `'other'`;
        rule = '';
      }
      const { rows: counts } = await db.raw(
        `SELECT ${kindSql} AS kind, count(*) AS n FROM ${from} t ${join} GROUP BY 1`,
      );
      const rowsByKind: Record<Kind, number> = { user: 0, group: 0, other: 0 };
      let rows = 0;
      for (const c of counts) {
        const n = Number(c.n);
        rows += n;
        const kind: Kind =
          c.kind === 'user' || c.kind === 'group' ? c.kind : 'other';
        rowsByKind[kind] += n;
      }
      result.push({
        table: label,
        rows,
        deadRows: Number(t.dead),
        bytes: Number(t.bytes),
        writes: {
          inserted: Number(t.ins),
          updated: Number(t.upd),
          deleted: Number(t.del),
        },
        rowsByKind,
        rule,
      });
    }
    return { database, plugin, databaseBytes, tables: result };
  } finally {
    await db.destroy();
  }
}

/** Every database whose name starts with `prefix`, measured. */
export async function measureDatabases(
  prefix: string,
): Promise<DatabaseSize[]> {
  const admin = connect('postgres');
  let names: string[];
  try {
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE starts_with(datname, ?) ORDER BY datname',
      [prefix],
    );
    names = rows.map((r: { datname: string }) => r.datname);
  } finally {
    await admin.destroy();
  }
  const result: DatabaseSize[] = [];
  for (const name of names) {
    result.push(await measureDatabase(name, name.slice(prefix.length)));
  }
  return result;
}

/** A database's totals, and its bytes shared out to users and groups. */
export function totals(db: DatabaseSize) {
  const sum = { rows: 0, deadRows: 0, bytes: 0 };
  const rows: Record<Kind, number> = { user: 0, group: 0, other: 0 };
  const bytes: Record<Kind, number> = { user: 0, group: 0, other: 0 };
  for (const t of db.tables) {
    sum.rows += t.rows;
    sum.deadRows += t.deadRows;
    sum.bytes += t.bytes;
    for (const kind of ['user', 'group', 'other'] as Kind[]) {
      rows[kind] += t.rowsByKind[kind];
      // An empty table's bytes (its empty indexes) are nobody's.
      bytes[kind] += t.rows
        ? (t.bytes * t.rowsByKind[kind]) / t.rows
        : kind === 'other'
        ? t.bytes
        : 0;
    }
  }
  return { ...sum, rowsByKind: rows, bytesByKind: bytes };
}

/** A table's bytes shared out to users and groups, by its rows. */
export function tableBytesByKind(t: TableSize): Record<Kind, number> {
  const share = (kind: Kind) =>
    t.rows ? (t.bytes * t.rowsByKind[kind]) / t.rows : 0;
  return {
    user: share('user'),
    group: share('group'),
    other: t.rows ? share('other') : t.bytes,
  };
}
