import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** Files of the catalog's database: the one thing a later run reuses. */
const CATALOG_FILE = /^catalog\.sqlite(-journal|-wal|-shm)?$/;
/** Database files the backend writes, one per plugin. */
const SQLITE_FILE = /\.sqlite(-journal|-wal|-shm)?$/;
/**
 * Says which organisation the catalog in the directory holds in full:
 * written once a run has seen the catalog complete.
 */
const MARKER = 'bench-org.txt';

export interface DatabaseDirState {
  /** The catalog of an earlier run with the same organisation is kept. */
  reused: boolean;
  /** Database files deleted before the start. */
  deleted: string[];
}

/**
 * Readies BENCH_DB_DIR before the backend starts. The catalog's database is
 * kept when an earlier run ingested the same organisation into it in full
 * (see {@link markCatalogComplete}); every
 * other plugin's database is deleted, so that only the ingestion is reused
 * and nothing else an earlier run left (auth keys, scheduler state, a search
 * index) carries over. The identity plugin's database is not among them: the
 * benchmark keeps it in memory (see backendProcess.ts).
 *
 * Only files named like SQLite databases are deleted, whatever else the
 * directory holds.
 */
export function prepareDatabaseDir(
  dir: string,
  organisation: string,
): DatabaseDirState {
  mkdirSync(dir, { recursive: true });
  const markerPath = join(dir, MARKER);
  const reused =
    existsSync(join(dir, 'catalog.sqlite')) &&
    existsSync(markerPath) &&
    readFileSync(markerPath, 'utf8') === organisation;
  const deleted: string[] = [];
  for (const file of readdirSync(dir)) {
    if (SQLITE_FILE.test(file) && !(reused && CATALOG_FILE.test(file))) {
      rmSync(join(dir, file));
      deleted.push(file);
    }
  }
  if (reused) {
    postponeReprocessing(join(dir, 'catalog.sqlite'));
  } else {
    rmSync(markerPath, { force: true });
  }
  return { reused, deleted };
}

/**
 * Records that the catalog in BENCH_DB_DIR holds the whole organisation, so
 * that later runs may reuse it. A run stopped before that (mid-ingestion)
 * leaves no mark, and the next run starts from an empty catalog.
 */
export function markCatalogComplete(dir: string, organisation: string) {
  writeFileSync(join(dir, MARKER), organisation);
}

/**
 * The benchmark's catalog processes each entity once a day
 * (app-config.bench.yaml). A catalog kept from a run more than a day ago
 * would reprocess all of them while the benchmark measures: moves their next
 * processing a day ahead instead, as a fresh ingestion would have left it.
 */
function postponeReprocessing(file: string) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3');
  const db = new Database(file);
  try {
    db.prepare(
      `update refresh_state set next_update_at = datetime('now', '+1 day')
       where processed_entity is not null`,
    ).run();
  } finally {
    db.close();
  }
}
