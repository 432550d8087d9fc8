import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/** The databases the tests that start a whole backend run on. */
export const backendDatabases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
});

/** `backend.database` config for a test backend on `databaseId`. */
export async function backendDatabaseConfig(databaseId: TestDatabaseId) {
  if (databaseId === 'SQLITE_3') {
    return { client: 'better-sqlite3', connection: ':memory:' };
  }
  const knex = await backendDatabases.init(databaseId);
  return {
    client: 'pg',
    connection: knex.client.config.connection,
    pluginDivisionMode: 'schema',
  };
}
