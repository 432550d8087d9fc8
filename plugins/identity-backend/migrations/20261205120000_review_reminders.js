// @ts-check

/**
 * The reminders sent before a campaign's due date: one row per campaign,
 * written before the reminder is sent, so that another replica or a restart
 * does not send it again.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('identity_review_reminders', table => {
    table.comment(
      'Campaigns whose reviewers were reminded before the due date',
    );
    table
      .string('campaign_id', 36)
      .primary()
      .references('id')
      .inTable('identity_review_campaigns')
      .onDelete('CASCADE');
    table.string('sent_at', 30).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('identity_review_reminders');
};
