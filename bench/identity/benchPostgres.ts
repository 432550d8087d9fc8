import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import knexFactory, { Knex } from 'knex';

/**
 * Every database the benchmark's backend creates on PostgreSQL is named
 * `<prefix><pluginId>` (backend.database.prefix), so that the benchmark
 * never touches another database of the server.
 */
export const PG_PREFIX = 'identity_bench_';
const CATALOG_DB = `${PG_PREFIX}catalog`;

/** What the marker file holds once the catalog is complete. */
const markerText = (connection: string, organisation: string) =>
  `${connection}\n${organisation}`;

/** Runs `fn` on database `name` of the server, then disconnects. */
async function withDatabase<T>(
  connection: string,
  name: string,
  fn: (knex: Knex) => Promise<T>,
): Promise<T> {
  const url = new URL(connection);
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    return await fn(knex);
  } finally {
    await knex.destroy();
  }
}

async function listBenchDatabases(knex: Knex): Promise<string[]> {
  const result = await knex.raw(
    `select datname from pg_database where datname like ? order by datname`,
    [`${PG_PREFIX.replace(/_/g, '\\_')}%`],
  );
  return result.rows.map((r: { datname: string }) => r.datname);
}

export interface PostgresState {
  /** The catalog of an earlier run with the same organisation is kept. */
  reused: boolean;
  /** Databases dropped before the start. */
  dropped: string[];
}

/**
 * Readies BENCH_PG before the backend starts, as prepareDatabaseDir does for
 * BENCH_DB_DIR: the catalog's database is kept when an earlier run ingested
 * the same organisation into it in full (the marker file says so); every
 * other `identity_bench_*` database, the identity plugin's included, is
 * dropped, so that the index is built afresh and nothing else carries over.
 */
export async function preparePostgres(
  connection: string,
  markerPath: string,
  organisation: string,
): Promise<PostgresState> {
  const knex = knexFactory({ client: 'pg', connection });
  try {
    const names = await listBenchDatabases(knex);
    const reused =
      names.includes(CATALOG_DB) &&
      existsSync(markerPath) &&
      readFileSync(markerPath, 'utf8') === markerText(connection, organisation);
    const dropped: string[] = [];
    for (const name of names) {
      if (reused && name === CATALOG_DB) {
        continue;
      }
      await knex.raw('drop database if exists ?? with (force)', [name]);
      dropped.push(name);
    }
    if (reused) {
      await postponeReprocessing(connection);
    } else {
      rmSync(markerPath, { force: true });
    }
    return { reused, dropped };
  } finally {
    await knex.destroy();
  }
}

/** Records that the catalog database holds the whole organisation. */
export function markPostgresCatalogComplete(
  connection: string,
  markerPath: string,
  organisation: string,
) {
  writeFileSync(markerPath, markerText(connection, organisation));
}

/**
 * VACUUM ANALYZE on every benchmark database, once ingestion is over. A
 * deployment's autovacuum does this by itself soon after a bulk load; this
 * machine's PostgreSQL runs with `autovacuum = off`, and without statistics
 * the planner takes the freshly loaded tables for nearly empty: a run
 * without this step printed index refreshes with nothing changed of 19 to
 * 23 s, against 2.9 to 4.1 s in the next run with it. Returns what ran, with
 * the server's autovacuum setting.
 */
export async function vacuumAnalyze(connection: string): Promise<string> {
  const knex = knexFactory({ client: 'pg', connection });
  let names: string[];
  let autovacuum: string;
  try {
    autovacuum = (await knex.raw('show autovacuum')).rows[0].autovacuum;
    names = await listBenchDatabases(knex);
  } finally {
    await knex.destroy();
  }
  const done: string[] = [];
  for (const name of names) {
    const started = Date.now();
    await withDatabase(connection, name, db => db.raw('vacuum analyze'));
    done.push(`${name} ${Date.now() - started} ms`);
  }
  return `VACUUM ANALYZE (server autovacuum: ${autovacuum}): ${done.join(
    ', ',
  )}`;
}

/** See postponeReprocessing in benchDatabase.ts. */
async function postponeReprocessing(connection: string) {
  await withDatabase(connection, CATALOG_DB, knex =>
    knex.raw(
      `update refresh_state set next_update_at = now() + interval '1 day'
       where processed_entity is not null`,
    ),
  );
}
