import { Entity } from '@backstage/catalog-model';
import { group, user } from '../__testUtils__/orgEntities';
import {
  setupStore,
  storeDatabases,
  summaries,
} from '../__testUtils__/identityStoreSetup';

jest.setTimeout(60_000);

describe.each(storeDatabases.eachSupportedId())(
  'the identity index summary on %s',
  id => {
    const setup = (entities?: Entity[]) => setupStore(id, entities);

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

      // Updates that move every flag but deactivated: the SCIM catalog
      // module emits active users only, so no indexed user is deactivated.
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
          deactivated: 0,
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

    it('flags the members of held SCIM groups until the groups go, whatever the engine resolves meanwhile', async () => {
      const { knex, store, reader, indexer } = await setup();
      await indexer.refresh();
      const held = (userRef: string) => ({
        userRef,
        groupRef: 'group:default/team',
        reason: 'conflict' as const,
        path: [userRef, 'group:default/team'],
        declaredBy: 'scim:entra/Groups/g-1',
        origin: 'scim:entra',
      });
      const flagged = async () =>
        (
          await store.queryUsers(
            { statuses: ['uncountedMemberships'] },
            { field: 'name', order: 'asc' },
            { offset: 0, limit: 50 },
          )
        ).items.map(u => u.name);

      await store.write(w =>
        w.replaceHeldMemberships([held('user:default/ada')]),
      );
      expect(await flagged()).toEqual(['ada']);
      let { stored, counted } = await summaries(store, knex);
      expect(stored).toEqual(counted);
      expect(stored.byStatus.uncountedMemberships).toBe(1);
      expect((await store.getUncounted('user:default/ada'))[0]).toMatchObject({
        reason: 'conflict',
        declaredBy: 'scim:entra/Groups/g-1',
      });

      // The engine resolves ada again (her entity changed): the held row and
      // the flag stay, as the catalog knows nothing of them.
      reader.entities = reader.entities.map(e =>
        e.metadata.name === 'ada'
          ? { ...e, metadata: { ...e.metadata, etag: 'changed' } }
          : e,
      );
      await indexer.refresh();
      expect(await flagged()).toEqual(['ada']);

      // The group goes: the flag follows.
      await store.write(w => w.replaceHeldMemberships([]));
      expect(await flagged()).toEqual([]);
      ({ stored, counted } = await summaries(store, knex));
      expect(stored).toEqual(counted);
      expect(stored.byStatus.uncountedMemberships).toBe(0);
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
  },
);
