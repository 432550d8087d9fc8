import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { join } from 'node:path';
import {
  FakeCatalogReader,
  demoOrg,
  engineSettings,
  group,
  user,
} from '../__testUtils__/orgEntities';
import { IdentityIndexer } from '../indexer/IdentityIndexer';
import { computeIndexSummary } from './computeIndexSummary';
import { DatabaseIdentityStore } from './DatabaseIdentityStore';

jest.setTimeout(60_000);

// PostgreSQL runs when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
// is set (scripts/test.sh sets it); SQLite always runs.
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const migrationsDir = join(__dirname, '../../migrations');

describe.each(databases.eachSupportedId())(
  'DatabaseIdentityStore on %s',
  id => {
    async function setup(entities: Entity[] = demoOrg()) {
      const knex = await databases.init(id);
      const store = await DatabaseIdentityStore.create({
        database: mockServices.database({ knex }),
      });
      const reader = new FakeCatalogReader(entities);
      const indexer = new IdentityIndexer(
        store,
        reader,
        mockServices.logger.mock(),
        engineSettings(),
      );
      return { knex, store, reader, indexer };
    }

    /** The stored summary, and what scanning the index gives now. */
    async function summaries(store: DatabaseIdentityStore, knex: Knex) {
      const { indexedAt: _, ...stored } = await store.summary();
      return { stored, counted: await computeIndexSummary(knex) };
    }

    it('keeps the stored summary equal to a count after every write', async () => {
      const { knex, store, reader, indexer } = await setup();
      const replace = (name: string, entity: Entity) => {
        reader.entities = reader.entities
          .filter(e => e.metadata.name !== name)
          .concat(entity);
      };
      const expectInStep = async () => {
        const { stored, counted } = await summaries(store, knex);
        expect(stored).toEqual(counted);
        return stored;
      };

      await indexer.refresh();
      expect(await expectInStep()).toEqual({
        totalUsers: 9,
        totalGroups: 4,
        bySource: { file: 8, scim: 1 },
        byStatus: {
          orphaned: 1,
          processingErrors: 1,
          noGroups: 1,
          duplicateEmail: 2,
          deactivated: 0,
          uncountedMemberships: 0,
        },
      });

      // Updates that move every flag.
      replace(
        'lonely',
        user('lonely', { email: 'ADA@example.com', groups: ['team'] }),
      );
      // A group no entity provides: declared, not counted.
      replace(
        'broken',
        user('broken', { email: 'broken@example.com', groups: ['nowhere'] }),
      );
      replace(
        'ghost',
        user('ghost', {
          email: 'ghost@example.com',
          groups: ['other-team'],
          errors: ['spec.memberOf must be a list'],
        }),
      );
      replace(
        'scimmy',
        user('scimmy', {
          email: 'scimmy@example.com',
          annotations: {
            'backstage.io/managed-by-location': 'scim:entra',
            'scim.identity-governance.io/idp': 'entra',
            'scim.identity-governance.io/id': 'abc-123',
            'scim.identity-governance.io/active': 'false',
          },
        }),
      );
      await indexer.refresh();
      expect(await expectInStep()).toMatchObject({
        totalUsers: 9,
        byStatus: {
          orphaned: 0,
          processingErrors: 1,
          noGroups: 2,
          duplicateEmail: 4,
          deactivated: 1,
          uncountedMemberships: 1,
        },
      });

      // Inserts, a new group, and a group that goes.
      reader.entities = reader.entities
        .filter(e => e.metadata.name !== 'other-team')
        .concat(
          group('new-team', { displayName: 'New' }),
          user('newbie', { email: 'newbie@example.com', groups: ['new-team'] }),
          user('orphan-two', {
            annotations: { 'backstage.io/orphan': 'true' },
          }),
        );
      await indexer.refresh();
      expect(await expectInStep()).toMatchObject({
        totalUsers: 11,
        totalGroups: 4,
      });

      // Removals from the catalog.
      reader.entities = reader.entities.filter(
        e => !['ada', 'dup-one', 'scimmy'].includes(e.metadata.name),
      );
      await indexer.refresh();
      expect(await expectInStep()).toMatchObject({
        totalUsers: 8,
        bySource: { file: 8 },
      });

      // A removal outside the indexer, as offboarding does it (after deleting
      // the entity from the catalog).
      reader.entities = reader.entities.filter(
        e => e.metadata.name !== 'newbie',
      );
      await store.write(async writer => {
        await writer.removeUsers(['user:default/newbie']);
        await writer.recomputeDuplicateEmails();
      });
      expect(await expectInStep()).toMatchObject({ totalUsers: 7 });

      // A refresh that changed nothing leaves it, and moves indexedAt.
      const before = await store.summary();
      await indexer.refresh();
      const after = await store.summary();
      expect({ ...after, indexedAt: undefined }).toEqual({
        ...before,
        indexedAt: undefined,
      });
      await expectInStep();
    });

    it('keeps the summary right under concurrent writes', async () => {
      const { knex, store, indexer } = await setup();
      await indexer.refresh();
      const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
      await Promise.all([
        store.write(async writer => {
          await writer.removeUsers(['user:default/ghost']);
          await sleep(50);
        }),
        store.write(async writer => {
          await writer.removeUsers(['user:default/broken']);
          await sleep(50);
        }),
      ]);
      const { stored, counted } = await summaries(store, knex);
      expect(stored).toEqual(counted);
      expect(stored).toMatchObject({
        totalUsers: 7,
        byStatus: { orphaned: 0, processingErrors: 0 },
      });
    });

    it('counts once when no summary is stored yet', async () => {
      const { knex, store, indexer } = await setup();
      await indexer.refresh();
      const stored = await store.summary();
      await knex('identity_state').where('key', 'summary').delete();

      expect(await store.summary()).toEqual(stored);
      expect(
        JSON.parse(
          (await knex('identity_state').where('key', 'summary').first()).value,
        ),
      ).toEqual((({ indexedAt: _, ...s }) => s)(stored));
    });

    it('filters by small and large groups alike', async () => {
      // "big" holds most users, "small" two of them: the two ways the store
      // checks a group filter must give the same answers.
      const names = Array.from(
        { length: 30 },
        (_, i) => `user-${String(i).padStart(2, '0')}`,
      );
      const { store, indexer } = await setup([
        group('big'),
        group('small', { parent: 'big' }),
        group('empty'),
        ...names.map((name, i) =>
          user(name, {
            email: `${name}@example.com`,
            displayName: i % 3 === 0 ? `Fizz ${i}` : `Buzz ${i}`,
            groups: [i < 2 ? 'small' : '', i < 24 ? 'big' : ''].filter(Boolean),
          }),
        ),
      ]);
      await indexer.refresh();
      const query = async (
        filter: Parameters<typeof store.queryUsers>[0],
        order: 'asc' | 'desc' = 'asc',
        page = { offset: 0, limit: 5 },
      ) => {
        const r = await store.queryUsers(
          filter,
          { field: 'name', order },
          page,
        );
        return { names: r.items.map(u => u.name), total: r.totalItems };
      };

      expect(await query({ group: 'group:default/small' })).toEqual({
        names: ['user-00', 'user-01'],
        total: 2,
      });
      expect(await query({ group: 'group:default/big' })).toEqual({
        names: ['user-00', 'user-01', 'user-02', 'user-03', 'user-04'],
        total: 24,
      });
      expect(
        await query({ group: 'group:default/big', q: 'fizz' }, 'desc', {
          offset: 2,
          limit: 3,
        }),
      ).toEqual({ names: ['user-15', 'user-12', 'user-09'], total: 8 });
      expect(await query({ group: 'group:default/small', q: 'buzz' })).toEqual({
        names: ['user-01'],
        total: 1,
      });
      expect(await query({ group: 'group:default/empty' })).toEqual({
        names: [],
        total: 0,
      });
      expect(await query({ group: 'group:default/unknown' })).toEqual({
        names: [],
        total: 0,
      });

      const exported: string[] = [];
      for await (const batch of store.streamUsers(
        { group: 'group:default/big', q: 'fizz' },
        3,
      )) {
        exported.push(...batch.map(u => u.name));
      }
      expect(exported).toEqual(
        ['00', '03', '06', '09', '12', '15', '18', '21'].map(n => `user-${n}`),
      );
    });

    it('sorts and pages a search by every field, ties by name', async () => {
      // On PostgreSQL a search of three characters or more finds its matches
      // before sorting them (queryUsers); the order must not change.
      const specs = [
        { name: 'ann', display: 'Zed', groups: ['a'] },
        { name: 'bob', display: 'Yan', groups: ['a', 'b'] },
        { name: 'cat', display: 'Xia', groups: [] },
        { name: 'dan', display: 'Yan', groups: ['b'] },
        { name: 'eve', display: 'Abe', groups: ['a', 'b'] },
        { name: 'fay', display: 'Zed', groups: ['a'] },
        { name: 'gus', display: 'Moe', groups: [] },
      ];
      const { store, indexer } = await setup([
        group('a'),
        group('b'),
        ...specs.map(u =>
          user(u.name, {
            email: `${u.name}.member@example.com`,
            displayName: u.display,
            groups: u.groups,
          }),
        ),
        user('outsider', { email: 'out@example.org', groups: ['a'] }),
      ]);
      await indexer.refresh();

      const byName = (a: string, b: string) => a.localeCompare(b);
      const sortKeys = {
        name: (u: (typeof specs)[number]) => u.name,
        displayName: (u: (typeof specs)[number]) => u.display,
        directGroupCount: (u: (typeof specs)[number]) => u.groups.length,
      };
      const expected: Record<string, (typeof specs)[number][]> = {
        name: [...specs].sort((a, b) => byName(a.name, b.name)),
        displayName: [...specs].sort(
          (a, b) => byName(a.display, b.display) || byName(a.name, b.name),
        ),
        directGroupCount: [...specs].sort(
          (a, b) => a.groups.length - b.groups.length || byName(a.name, b.name),
        ),
      };
      for (const field of Object.keys(expected) as Array<
        'name' | 'displayName' | 'directGroupCount'
      >) {
        for (const order of ['asc', 'desc'] as const) {
          const want = [...expected[field]];
          if (order === 'desc') {
            // Descending by the field, ties still by name ascending.
            want.sort((a, b) => {
              const key = sortKeys[field];
              const ka = key(a);
              const kb = key(b);
              if (ka !== kb) return ka < kb ? 1 : -1;
              return byName(a.name, b.name);
            });
          }
          const got: string[] = [];
          for (let offset = 0; offset < specs.length; offset += 3) {
            const { items, totalItems } = await store.queryUsers(
              { q: 'member@' },
              { field, order },
              { offset, limit: 3 },
            );
            expect(totalItems).toBe(specs.length);
            got.push(...items.map(u => u.name));
          }
          // A page past the last match still knows how many there are.
          expect(
            await store.queryUsers(
              { q: 'member@' },
              { field, order },
              { offset: 20, limit: 3 },
            ),
          ).toEqual({ items: [], totalItems: specs.length });
          expect({ field, order, got }).toEqual({
            field,
            order,
            got: want.map(u => u.name),
          });
        }
      }
    });

    it('reads the details only for one user, from their own table', async () => {
      const { store, indexer } = await setup();
      await indexer.refresh();
      const broken = await store.getUser('user:default/broken');
      expect(broken?.details.errors[0].message).toBe(
        'spec.profile.email must be a string',
      );
      const scimmy = await store.getUser('user:default/scimmy');
      expect(scimmy?.details.annotations).toMatchObject({
        'scim.identity-governance.io/idp': 'entra',
      });
      const { items } = await store.queryUsers(
        { q: 'broken' },
        { field: 'name', order: 'asc' },
        { offset: 0, limit: 10 },
      );
      expect(items).toHaveLength(1);
      expect(items[0]).not.toHaveProperty('details');
    });

    it('moves the details of an existing index to their own table', async () => {
      const knex = await databases.init(id);
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
      const knex = await databases.init(id);
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

      // Down past the trigram migration (the engine's came after it).
      await knex.migrate.down({ directory: migrationsDir });
      await knex.migrate.down({ directory: migrationsDir });
      expect(await hasIndex()).toBe(false);
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await hasIndex()).toBe(id.startsWith('POSTGRES'));
    });
  },
);
