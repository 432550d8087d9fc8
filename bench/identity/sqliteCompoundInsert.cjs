/*
 * Preloaded into the benchmark's backend (node --require) as a stopgap for a
 * bug of the identity backend on SQLite, and only there.
 *
 * Knex writes a multi-row insert for SQLite as
 *   insert into t (a, b) select ? as a, ? as b union all select ? as a, ...
 * and SQLite refuses more than 500 terms in a compound SELECT ("too many terms
 * in compound SELECT"). DatabaseIdentityStore.upsertUsers inserts direct
 * memberships 800 rows at a time (INSERT_CHUNK * 4), so an index refresh that
 * sees more than about 440 new or changed users fails, is rolled back, and
 * every later refresh fails too: with 50,000 users the index never fills.
 *
 * This rewrites exactly those statements, which would otherwise fail, into
 * the equivalent `insert into t (a, b) values (?, ?), (?, ?), ...` (a VALUES
 * list is not subject to that limit), with the same bindings in the same
 * order. Every other statement is left alone, so nothing the benchmark
 * measures goes through it. Each rewrite is reported on stderr, and the
 * benchmark prints how many there were.
 *
 * The backend has since been fixed (it inserts 400 rows at a time), so on a
 * current revision nothing is rewritten; this stays for older revisions.
 */
const Database = require('better-sqlite3');

const MAX_COMPOUND_SELECT = 500;
const HEAD = /^insert into (`[^`]+`) \(((?:`[^`]+`(?:, )?)+)\) select /;
const BLOCK = /^\? as `[^`]+`(?:, \? as `[^`]+`)*$/;

function rewrite(sql) {
  const head = HEAD.exec(sql);
  if (!head || sql.includes(' where true')) {
    return undefined;
  }
  const blocks = sql.slice(head[0].length).split(' union all select ');
  if (
    blocks.length <= MAX_COMPOUND_SELECT ||
    !blocks.every(b => BLOCK.test(b))
  ) {
    return undefined;
  }
  const values = blocks.map(b => `(${b.replace(/ as `[^`]+`/g, '')})`);
  return {
    table: head[1],
    rows: blocks.length,
    sql: `insert into ${head[1]} (${head[2]}) values ${values.join(', ')}`,
  };
}

const prepare = Database.prototype.prepare;
Database.prototype.prepare = function prepareWithValuesInsert(sql, ...rest) {
  const rewritten = typeof sql === 'string' ? rewrite(sql) : undefined;
  if (rewritten) {
    process.stderr.write(
      `[identity-bench] sqlite insert rewritten: ${rewritten.table}, ${rewritten.rows} rows\n`,
    );
    return prepare.call(this, rewritten.sql, ...rest);
  }
  return prepare.call(this, sql, ...rest);
};
