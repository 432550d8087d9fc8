// @ts-check

/** @param {import('knex').Knex} knex */
function isSqlite(knex) {
  return String(knex.client.config.client).includes('sqlite');
}

/**
 * Moves the users' `details` JSON (annotations and processing errors, only
 * read by the detail view and offboarding) out of `identity_users` into a
 * table of its own: searches and pages scan `identity_users`, and the wide
 * column made every row, and so every scan, several times larger.
 *
 * Replaces the name index with one in page order (name, then entity ref), so
 * that the first page is read from the index and not sorted from all users.
 * On SQLite it also holds the search text: a search then reads the index
 * instead of the table, and only the rows it shows from the table.
 * PostgreSQL caps an index entry at about 2.7 kB, which an unbounded search
 * text could exceed, and plans its searches well without it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('identity_user_details', table => {
    table.comment('Extras of indexed users for the detail view');
    table.string('entity_ref').primary().notNullable();
    table
      .text('details')
      .notNullable()
      .comment('JSON: annotations and processing errors');
  });
  await knex.raw(
    'insert into identity_user_details (entity_ref, details) select entity_ref, details from identity_users',
  );
  await knex.schema.alterTable('identity_users', table => {
    table.dropColumn('details');
  });
  await knex.schema.alterTable('identity_users', table => {
    table.dropIndex([], 'identity_users_name_sort_idx');
    table.index(
      isSqlite(knex)
        ? ['name_sort', 'entity_ref', 'search_text']
        : ['name_sort', 'entity_ref'],
      'identity_users_name_order_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('identity_users', table => {
    table.dropIndex([], 'identity_users_name_order_idx');
    table.index(['name_sort'], 'identity_users_name_sort_idx');
  });
  await knex.schema.alterTable('identity_users', table => {
    table
      .text('details')
      .notNullable()
      .defaultTo('{"annotations":{},"errors":[]}')
      .comment('JSON: annotations and processing errors, for the detail view');
  });
  await knex.raw(
    `update identity_users set details = (
       select d.details from identity_user_details d
       where d.entity_ref = identity_users.entity_ref
     )
     where exists (
       select 1 from identity_user_details d
       where d.entity_ref = identity_users.entity_ref
     )`,
  );
  await knex.schema.dropTable('identity_user_details');
};
