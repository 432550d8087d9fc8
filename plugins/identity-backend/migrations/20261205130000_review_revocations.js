// @ts-check

/**
 * Revocations of access review items: what to change at each source when an
 * item is decided revoke (JSON steps, computed when decided), and whether the
 * catalog shows the access gone. The status is set by the watch that compares
 * pending items with the index after each refresh, never by a click.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('identity_review_items', table => {
    table
      .string('revocation_status', 16)
      .nullable()
      .comment('pending or effective; null unless decided revoke');
    table
      .text('revocation_steps')
      .nullable()
      .comment('JSON: the steps to take at each source');
    table.string('revocation_effective_at', 30).nullable();
    table.string('revocation_checked_at', 30).nullable();
    // The watch reads the pending items only, in id order.
    table.index(
      ['revocation_status', 'id'],
      'identity_review_items_revocation_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('identity_review_items', table => {
    table.dropIndex(
      ['revocation_status', 'id'],
      'identity_review_items_revocation_idx',
    );
    table.dropColumn('revocation_status');
    table.dropColumn('revocation_steps');
    table.dropColumn('revocation_effective_at');
    table.dropColumn('revocation_checked_at');
  });
};
