import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { join } from 'node:path';
import { IdentityIndexer } from '../indexer/IdentityIndexer';
import { computeIndexSummary } from '../store/computeIndexSummary';
import { DatabaseIdentityStore } from '../store/DatabaseIdentityStore';
import { engineSettings } from './engineSettings';
import { FakeCatalogReader } from './FakeCatalogReader';
import { flaggedOrg } from './orgEntities';

// PostgreSQL runs when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
// is set (scripts/test.sh sets it); SQLite always runs.
export const storeDatabases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
});

export const migrationsDir = join(__dirname, '../../migrations');

/** A store on a fresh database of `id`, with an indexer over `entities`. */
export async function setupStore(
  id: Parameters<typeof storeDatabases.init>[0],
  entities: Entity[] = flaggedOrg(),
) {
  const knex = await storeDatabases.init(id);
  const store = await DatabaseIdentityStore.create({
    database: mockServices.database({ knex }),
  });
  const reader = new FakeCatalogReader(entities);
  const indexer = new IdentityIndexer(
    store,
    reader,
    mockServices.logger.mock(),
    engineSettings(),
  );
  return { knex, store, reader, indexer };
}

/** The stored summary, and what scanning the index gives now. */
export async function summaries(store: DatabaseIdentityStore, knex: Knex) {
  const { indexedAt: _, ...stored } = await store.summary();
  return { stored, counted: await computeIndexSummary(knex) };
}
