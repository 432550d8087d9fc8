import { mockServices } from '@backstage/backend-test-utils';
import {
  migrationsDir,
  storeDatabases,
} from '../__testUtils__/identityStoreSetup';
import { DatabaseIdentityStore } from './DatabaseIdentityStore';

jest.setTimeout(60_000);

describe.each(storeDatabases.eachSupportedId())(
  'the identity index migrations on %s',
  id => {
    it('moves the details of an existing index to their own table', async () => {
      const knex = await storeDatabases.init(id);
      // The index as the first release left it.
      await knex.migrate.up({
        directory: migrationsDir,
        name: '20251123000000_init.js',
      });
      const details = {
        annotations: { 'scim.identity-governance.io/idp': 'entra' },
        errors: [{ message: 'bad email' }],
      };
      await knex('identity_users').insert({
        entity_ref: 'user:default/old',
        etag: 'e',
        namespace: 'default',
        name: 'old',
        search_text: 'old',
        name_sort: 'old',
        display_sort: '',
        email_sort: '',
        source: 'scim',
        scim_managed: 1,
        processing_errors: 1,
        details: JSON.stringify(details),
      });

      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261123120000_user_details.js',
      });
      const moved = await knex('identity_user_details').where(
        'entity_ref',
        'user:default/old',
      );
      expect(JSON.parse(moved[0].details)).toEqual(details);
      expect(await knex('identity_users').columnInfo()).not.toHaveProperty(
        'details',
      );

      // Back to the first release, whatever came after it.
      while (
        (await knex.migrate.currentVersion({ directory: migrationsDir })) !==
        '20251123000000'
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      expect(
        JSON.parse(
          (
            await knex('identity_users').where('entity_ref', 'user:default/old')
          )[0].details,
        ),
      ).toEqual(details);
      expect(await knex.schema.hasTable('identity_user_details')).toBe(false);
    });

    it('has a trigram index for searches on PostgreSQL, and none elsewhere', async () => {
      const knex = await storeDatabases.init(id);
      await DatabaseIdentityStore.create({
        database: mockServices.database({ knex }),
      });
      const hasIndex = async () =>
        String(knex.client.config.client).includes('pg')
          ? (
              await knex.raw(
                `select 1 from pg_indexes where indexname = 'identity_users_search_trgm_idx'`,
              )
            ).rows.length === 1
          : false;
      expect(await hasIndex()).toBe(id.startsWith('POSTGRES'));

      // Down past the trigram migration, however many came after it.
      while (
        (await knex.migrate.currentVersion({ directory: migrationsDir })) >=
        '20261123180000'
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      expect(await hasIndex()).toBe(false);
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await hasIndex()).toBe(id.startsWith('POSTGRES'));
    });
  },
);
