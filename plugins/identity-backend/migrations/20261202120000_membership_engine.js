// @ts-check

/** The index's tables, children first. */
const INDEX_TABLES = [
  'identity_user_groups',
  'identity_user_direct_groups',
  'identity_user_details',
  'identity_users',
  'identity_groups',
  'identity_state',
];

/**
 * Empties the derived index; the next refresh rebuilds it from the catalog.
 *
 * @param {import('knex').Knex} knex
 */
async function emptyIndex(knex) {
  for (const name of INDEX_TABLES) {
    await knex(name).delete();
  }
}

/**
 * Memberships come from the membership engine (identity-node) instead of the
 * catalog's relations: what each user and group declares is kept, so that a
 * user can be resolved again when only groups changed, and the declared
 * memberships that do not count are kept with their reason.
 *
 * The index is derived data: it is emptied here and rebuilt by the next
 * refresh, rather than translated from relations that did not say who
 * declared each membership.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('identity_users', table => {
    table
      .text('declarations')
      .nullable()
      .comment('JSON: origin and spec.memberOf, as the engine reads them');
    table.integer('uncounted_memberships').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('identity_groups', table => {
    table
      .text('declarations')
      .nullable()
      .comment('JSON: origin, parents, children and members as declared');
  });
  await knex.schema.createTable('identity_user_uncounted', table => {
    table.comment('Declared memberships that do not count, with the reason');
    table.string('user_ref').notNullable();
    table.string('group_ref').notNullable();
    table.string('reason').notNullable();
    table.text('path').notNullable().comment('JSON: user ref, groups, group');
    table
      .text('source')
      .notNullable()
      .comment(
        'JSON: declaring entity, origin, directory, groups it would reach',
      );
    table.index(['user_ref'], 'identity_user_uncounted_user_idx');
    table.index(['group_ref'], 'identity_user_uncounted_group_idx');
  });
  await emptyIndex(knex);
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('identity_user_uncounted');
  await knex.schema.alterTable('identity_groups', table => {
    table.dropColumn('declarations');
  });
  await knex.schema.alterTable('identity_users', table => {
    table.dropColumn('declarations');
    table.dropColumn('uncounted_memberships');
  });
  await emptyIndex(knex);
};
