// @ts-check

/**
 * Which source owns which entity ref: the refs each IdP has claimed, and the
 * records held back because another source provides or provided their ref.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scim_claims', table => {
    table.comment(
      'Entity refs a SCIM IdP has claimed (emitted as its own); kept after the record is gone, so that another source cannot take the ref silently',
    );
    table.string('entity_ref').primary().comment('Lower-cased entity ref');
    table.string('idp').notNullable().comment('The IdP that claimed it');
    table.string('resource_type', 16).notNullable();
    table
      .string('resource_id', 36)
      .notNullable()
      .comment('The SCIM record that claimed it last');
    table.string('claimed_at', 32).notNullable();
    table
      .string('adopted_from')
      .comment('Origin of the source the ref was adopted from, if any');
    table
      .string('adopted_by')
      .comment('Who allowed the adoption: a user ref, a service, or config');
  });

  await knex.schema.createTable('scim_conflicts', table => {
    table.comment(
      'SCIM records held back because another source provides or provided their entity ref',
    );
    table.string('idp').notNullable();
    table.string('resource_id', 36).notNullable();
    table.string('resource_type', 16).notNullable();
    table.string('entity_ref').notNullable().comment('The contested ref');
    table
      .string('other_origin')
      .notNullable()
      .comment('managed-by-origin-location of the other source, or scim:<idp>');
    table.string('detected_at', 32).notNullable();
    table.primary(['idp', 'resource_id']);
    table.index(['entity_ref']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scim_conflicts');
  await knex.schema.dropTable('scim_claims');
};
