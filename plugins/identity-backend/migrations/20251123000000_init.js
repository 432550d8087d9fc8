// @ts-check

/**
 * The identity index: a read model of the catalog's users and groups, shaped
 * for the Identity page's search, filters and paging.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('identity_users', table => {
    table.comment('Users indexed from the catalog');
    table.string('entity_ref').primary().notNullable();
    table.string('uid').nullable();
    table.string('etag').notNullable();
    table.string('namespace').notNullable();
    table.string('name').notNullable();
    table.text('display_name').nullable();
    table.text('email').nullable();
    table
      .text('search_text')
      .notNullable()
      .comment('Lower-cased name, display name and email, for search');
    table.string('name_sort').notNullable();
    table.string('display_sort').notNullable();
    table.string('email_sort').notNullable();
    table.string('source').notNullable();
    table.text('managed_by_location').nullable();
    table.text('origin_location').nullable();
    table.integer('orphaned').notNullable().defaultTo(0);
    table.integer('processing_errors').notNullable().defaultTo(0);
    table.integer('deactivated').notNullable().defaultTo(0);
    table.integer('scim_managed').notNullable().defaultTo(0);
    table.integer('no_groups').notNullable().defaultTo(0);
    table.integer('duplicate_email').notNullable().defaultTo(0);
    table.integer('direct_group_count').notNullable().defaultTo(0);
    table.integer('inherited_group_count').notNullable().defaultTo(0);
    table
      .text('details')
      .notNullable()
      .comment('JSON: annotations and processing errors, for the detail view');
    table.index(['name_sort'], 'identity_users_name_sort_idx');
    table.index(['display_sort'], 'identity_users_display_sort_idx');
    table.index(['email_sort'], 'identity_users_email_sort_idx');
    table.index(['source'], 'identity_users_source_idx');
  });

  await knex.schema.createTable('identity_groups', table => {
    table.comment('Groups indexed from the catalog');
    table.string('entity_ref').primary().notNullable();
    table.string('etag').notNullable();
    table.string('namespace').notNullable();
    table.string('name').notNullable();
    table.text('display_name').nullable();
    table.string('source').notNullable();
    table.text('managed_by_location').nullable();
    table.text('parent_refs').notNullable().comment('JSON array');
    table.text('child_refs').notNullable().comment('JSON array');
    table.integer('direct_member_count').notNullable().defaultTo(0);
    table.integer('total_member_count').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('identity_user_direct_groups', table => {
    table.comment(
      'The memberOf relations of users, as the catalog states them',
    );
    table.string('user_ref').notNullable();
    table.string('group_ref').notNullable();
    table.primary(['user_ref', 'group_ref']);
    table.index(['group_ref'], 'identity_user_direct_groups_group_idx');
  });

  await knex.schema.createTable('identity_user_groups', table => {
    table.comment('Transitive closure: every group a user belongs to');
    table.string('user_ref').notNullable();
    table.string('group_ref').notNullable();
    table.integer('direct').notNullable();
    table
      .text('path')
      .notNullable()
      .comment('JSON array of group refs from the direct group to this one');
    table.primary(['user_ref', 'group_ref']);
    table.index(['group_ref', 'direct'], 'identity_user_groups_group_idx');
  });

  await knex.schema.createTable('identity_state', table => {
    table.comment('Bookkeeping of the indexer');
    table.string('key').primary().notNullable();
    table.text('value').notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('identity_state');
  await knex.schema.dropTable('identity_user_groups');
  await knex.schema.dropTable('identity_user_direct_groups');
  await knex.schema.dropTable('identity_groups');
  await knex.schema.dropTable('identity_users');
};
