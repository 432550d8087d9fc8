#!/usr/bin/env node
// The PostgreSQL databases of one production-shaped run (scripts/replicas.sh).
// The backend creates one database per plugin, named <prefix><pluginId>
// (backend.database.prefix); each run has its own prefix, and this drops
// them afterwards.
//
//   node scripts/replicas/databases.mjs list <prefix>
//   node scripts/replicas/databases.mjs drop <prefix>
//
// Connection: POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD,
// as for the backend (app-config.production.yaml).
import { createRequire } from 'node:module';

// pg is the backend's own driver, from the repository's node_modules.
const require = createRequire(new URL('../../package.json', import.meta.url));
const { Client } = require('pg');

const [command, prefix] = process.argv.slice(2);
if (
  !['list', 'drop'].includes(command) ||
  !/^[a-z0-9_]+_$/.test(prefix ?? '')
) {
  console.error(
    'usage: databases.mjs list|drop <prefix>  (lower case, digits, _; ends with _)',
  );
  process.exit(2);
}

const client = new Client({
  host: process.env.POSTGRES_HOST ?? '127.0.0.1',
  port: Number(process.env.POSTGRES_PORT ?? 5432),
  user: process.env.POSTGRES_USER ?? 'postgres',
  password: process.env.POSTGRES_PASSWORD,
  database: 'postgres',
});
await client.connect();
try {
  const { rows } = await client.query(
    `SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname`,
    [prefix],
  );
  for (const { datname } of rows) {
    if (command === 'drop') {
      // FORCE: a replica killed with -9 may leave sessions the server has
      // not noticed yet.
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    console.log(`${command === 'drop' ? 'dropped' : 'database'} ${datname}`);
  }
} finally {
  await client.end();
}
