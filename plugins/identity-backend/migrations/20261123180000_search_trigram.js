// @ts-check

/** @param {import('knex').Knex} knex */
function isPostgres(knex) {
  return String(knex.client.config.client).includes('pg');
}

const INDEX = 'identity_users_search_trgm_idx';

/**
 * On PostgreSQL, a trigram index on the users' search text, so that a search
 * (`search_text like '%term%'`, for terms of three characters or more) reads
 * the matching users from the index instead of scanning every user (see the
 * README's Storage section for what bench/identity measured).
 *
 * The index needs the `pg_trgm` extension, which ships with PostgreSQL and
 * which a database owner may create (it is a trusted extension). Where it
 * cannot be created (an older server, a role without that right), searches
 * keep working without the index, only slower; the migration does not fail.
 *
 * SQLite has no such index; its page-order index holds the search text
 * instead (see 20261123120000_user_details.js).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (!isPostgres(knex)) {
    return;
  }
  try {
    // A savepoint: a refusal must not abort the migration's transaction.
    await knex.transaction(async tx => {
      await tx.raw('create extension if not exists pg_trgm');
    });
  } catch {
    return;
  }
  await knex.raw(
    `create index if not exists ${INDEX} on identity_users using gin (search_text gin_trgm_ops)`,
  );
};

/**
 * Drops the index; the extension stays, as other tables may use it.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (!isPostgres(knex)) {
    return;
  }
  await knex.raw(`drop index if exists ${INDEX}`);
};
