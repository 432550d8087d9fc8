// @ts-check

/**
 * Access review campaigns: a campaign and its items, frozen when it starts.
 * Items copy what the index said (path, source, locations) instead of
 * pointing into the index, so that later refreshes never change the evidence.
 * Times are ISO 8601 strings: they compare in order as text, and read back
 * the same on SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('identity_review_campaigns', table => {
    table.comment('Access review campaigns');
    table.string('id', 36).primary();
    table.string('name', 200).notNullable();
    table.text('scope').notNullable().comment('JSON: the scope requested');
    table.string('status', 16).notNullable();
    table.string('created_by').notNullable();
    table.string('created_at', 30).notNullable();
    table.string('due_at', 30).notNullable();
    table.string('closed_at', 30).nullable();
    table.string('closed_by').nullable();
    table.integer('item_count').notNullable();
  });
  await knex.schema.createTable('identity_review_items', table => {
    table.comment('One person and one access to review, as of the start');
    table.string('id', 36).primary();
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('identity_review_campaigns')
      .onDelete('CASCADE');
    table.integer('seq').notNullable().comment('Order within the campaign');
    table.string('user_ref').notNullable();
    table.string('display_name').nullable();
    table.string('email').nullable();
    table.string('access').notNullable();
    table.string('group_ref').nullable();
    table.text('path').notNullable();
    table.string('source', 32).notNullable();
    table.text('managed_by_location').nullable();
    table.text('group_managed_by_location').nullable();
    table.string('decided_by_rule').nullable();
    table.string('reviewer').notNullable();
    table.string('decision', 16).nullable();
    table.text('comment').nullable();
    table.string('decided_at', 30).nullable();
    table.string('decided_by').nullable();
    table.index(
      ['campaign_id', 'reviewer', 'seq'],
      'identity_review_items_reviewer_idx',
    );
    table.index(['campaign_id', 'seq'], 'identity_review_items_seq_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('identity_review_items');
  await knex.schema.dropTable('identity_review_campaigns');
};
