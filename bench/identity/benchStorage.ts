import { join, resolve } from 'node:path';
import { markCatalogComplete, prepareDatabaseDir } from './benchDatabase';
import { log } from './harness';
import {
  markPostgresCatalogComplete,
  PG_PREFIX,
  preparePostgres,
} from './benchPostgres';

/** A number from the environment; unset or empty gives `fallback`. */
export const envNumber = (name: string, fallback: number) => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
};

/**
 * Where the benchmarks on bench/identity's backend keep their databases:
 * SQLite in memory (neither set), SQLite files (BENCH_DB_DIR) or PostgreSQL
 * (BENCH_PG), with the marker that lets bench:identity, bench:access and
 * bench:reviews reuse one ingested catalog of the same organisation.
 */
export interface BenchStorage {
  dbDir?: string;
  pg?: string;
  pgMarker: string;
}

export function readBenchStorage(root: string): BenchStorage {
  const dbDir = process.env.BENCH_DB_DIR
    ? resolve(process.env.BENCH_DB_DIR)
    : undefined;
  const pg = process.env.BENCH_PG || undefined;
  if (pg && dbDir) {
    throw new Error('Set BENCH_PG or BENCH_DB_DIR, not both');
  }
  return { dbDir, pg, pgMarker: join(root, 'bench/data/pg-catalog.txt') };
}

/**
 * Clears what a run must not reuse and says, in words for the report,
 * which databases the run uses and whether its catalog was reused.
 * `organisation` is the line naming the generated organisation.
 */
export async function prepareBenchStorage(
  storage: BenchStorage,
  organisation: string,
): Promise<{ database: string; catalogReused: boolean }> {
  const reuse = (reused: boolean) =>
    reused
      ? 'catalog reused from an earlier run'
      : 'new catalog, ingested in this run';
  if (storage.dbDir) {
    const dir = prepareDatabaseDir(storage.dbDir, organisation);
    const database = `SQLite files in ${storage.dbDir} (BENCH_DB_DIR; ${reuse(
      dir.reused,
    )}; identity plugin in memory)`;
    log(
      `database: ${database}; deleted before the start: ${
        dir.deleted.join(', ') || 'nothing'
      }`,
    );
    return { database, catalogReused: dir.reused };
  }
  if (storage.pg) {
    const pg = await preparePostgres(
      storage.pg,
      storage.pgMarker,
      organisation,
    );
    const database = `PostgreSQL at ${
      new URL(storage.pg).host
    } (BENCH_PG; databases ${PG_PREFIX}<plugin>; ${reuse(
      pg.reused,
    )}; identity plugin's database new)`;
    log(
      `database: ${database}; dropped before the start: ${
        pg.dropped.join(', ') || 'nothing'
      }`,
    );
    return { database, catalogReused: pg.reused };
  }
  return { database: 'SQLite in memory', catalogReused: false };
}

/** Records that the catalog holds the whole organisation, for reuse. */
export function markBenchCatalogComplete(
  storage: BenchStorage,
  organisation: string,
) {
  if (storage.dbDir) markCatalogComplete(storage.dbDir, organisation);
  if (storage.pg) {
    markPostgresCatalogComplete(storage.pg, storage.pgMarker, organisation);
  }
}
