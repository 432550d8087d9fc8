import { Entity } from '@backstage/catalog-model';
import { group, user } from '../__testUtils__/orgEntities';
import {
  setupStore,
  storeDatabases,
} from '../__testUtils__/identityStoreSetup';

jest.setTimeout(60_000);

describe.each(storeDatabases.eachSupportedId())(
  'the identity index users on %s',
  id => {
    const setup = (entities?: Entity[]) => setupStore(id, entities);

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
  },
);
