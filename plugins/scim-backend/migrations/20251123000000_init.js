// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scim_users', table => {
    table.comment('Users provisioned over SCIM, one row per user');
    table.string('id', 36).primary().comment('The SCIM id (a UUID)');
    table.string('idp').notNullable().comment('Identity provider that owns it');
    table.string('user_name').notNullable();
    table
      .string('user_name_lower')
      .notNullable()
      .comment('userName lower-cased, for case-insensitive uniqueness');
    table.string('external_id');
    table.string('display_name');
    table.string('given_name');
    table.string('family_name');
    table.string('formatted_name');
    table.string('nick_name');
    table.string('title');
    table.string('user_type');
    table.string('preferred_language');
    table.string('locale');
    table.string('timezone');
    table.boolean('active').notNullable().defaultTo(true);
    table.string('employee_number');
    table.string('cost_center');
    table.string('organization');
    table.string('division');
    table.string('department');
    table.string('manager_id');
    table
      .string('entity_name')
      .notNullable()
      .unique()
      .comment('metadata.name of the emitted User entity');
    table.text('resource').notNullable().comment('Canonical SCIM body (JSON)');
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table.integer('version').notNullable().defaultTo(1);
    table.unique(['idp', 'user_name_lower']);
    table.index(['idp', 'created_at', 'id']);
    table.index(['idp', 'external_id']);
  });

  await knex.schema.createTable('scim_values', table => {
    table.comment('Multi-valued user attributes (emails, ...) for filtering');
    table
      .string('resource_id', 36)
      .notNullable()
      .references('id')
      .inTable('scim_users')
      .onDelete('CASCADE');
    table.string('attribute').notNullable();
    table.text('value');
    table.string('display');
    table.string('type');
    table.boolean('is_primary');
    table.index(['resource_id']);
    table.index(['attribute', 'value']);
  });

  await knex.schema.createTable('scim_groups', table => {
    table.comment('Groups provisioned over SCIM, one row per group');
    table.string('id', 36).primary();
    table.string('idp').notNullable();
    table.string('display_name').notNullable();
    table.string('display_name_lower').notNullable();
    table.string('external_id');
    table.string('entity_name').notNullable().unique();
    table.text('resource').notNullable();
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table.integer('version').notNullable().defaultTo(1);
    table.unique(['idp', 'display_name_lower']);
    table.index(['idp', 'created_at', 'id']);
  });

  await knex.schema.createTable('scim_members', table => {
    table.comment('Direct members of SCIM groups, one row per membership');
    table
      .string('group_id', 36)
      .notNullable()
      .references('id')
      .inTable('scim_groups')
      .onDelete('CASCADE');
    table.string('member_id', 36).notNullable();
    table.string('member_type', 16).notNullable();
    table.string('display');
    table.primary(['group_id', 'member_id']);
    table.index(['member_id']);
  });

  await knex.schema.createTable('scim_history', table => {
    table.comment('Provisioning history: every change, tagged with its IdP');
    table.bigIncrements('seq').primary();
    table.string('idp').notNullable();
    table.string('resource_type', 16).notNullable();
    table.string('resource_id', 36).notNullable();
    table.string('entity_ref').notNullable();
    table.string('action', 32).notNullable();
    table.string('at', 32).notNullable();
    table.text('details');
    table.index(['resource_id']);
    table.index(['entity_ref']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scim_history');
  await knex.schema.dropTable('scim_members');
  await knex.schema.dropTable('scim_groups');
  await knex.schema.dropTable('scim_values');
  await knex.schema.dropTable('scim_users');
};
