// @ts-check

/**
 * An index on each user's manager, so that renaming, deactivating or
 * deleting a user finds the users it manages (their entities name its ref)
 * without reading every user.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('scim_users', table => {
    table.index(['idp', 'manager_id'], 'scim_users_idp_manager_id_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('scim_users', table => {
    table.dropIndex(['idp', 'manager_id'], 'scim_users_idp_manager_id_idx');
  });
};
