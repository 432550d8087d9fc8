import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseIdentityStore } from '../store/DatabaseIdentityStore';
import { engineSettings } from '../__testUtils__/engineSettings';
import { FakeCatalogReader } from '../__testUtils__/FakeCatalogReader';
import { flaggedOrg, group, user } from '../__testUtils__/orgEntities';
import { IdentityIndexer } from './IdentityIndexer';

jest.setTimeout(60_000);

// PostgreSQL runs when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
// is set (scripts/test.sh sets it); SQLite always runs.
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const sortByName = { field: 'name' as const, order: 'asc' as const };
const page = { offset: 0, limit: 50 };

describe.each(databases.eachSupportedId())('IdentityIndexer on %s', id => {
  async function setup() {
    const knex = await databases.init(id);
    const store = await DatabaseIdentityStore.create({
      database: mockServices.database({ knex }),
    });
    const reader = new FakeCatalogReader(flaggedOrg());
    const indexer = new IdentityIndexer(
      store,
      reader,
      mockServices.logger.mock(),
      engineSettings(),
    );
    return { store, reader, indexer };
  }

  it('indexes users, groups, inherited paths and flags', async () => {
    const { store, indexer } = await setup();
    const first = await indexer.refresh();
    expect(first).toMatchObject({ usersChanged: 9, groupsChanged: 4 });

    const closure = await store.getClosure(['user:default/nina']);
    expect(closure.get('user:default/nina')).toEqual([
      {
        userRef: 'user:default/nina',
        groupRef: 'group:default/team',
        direct: true,
        path: ['group:default/team'],
      },
      {
        userRef: 'user:default/nina',
        groupRef: 'group:default/department',
        direct: false,
        path: ['group:default/team', 'group:default/department'],
      },
      {
        userRef: 'user:default/nina',
        groupRef: 'group:default/platform-admins',
        direct: false,
        path: [
          'group:default/team',
          'group:default/department',
          'group:default/platform-admins',
        ],
      },
    ]);

    const nina = await store.getUser('user:default/nina');
    expect(nina).toMatchObject({
      directGroupCount: 1,
      inheritedGroupCount: 2,
      noGroups: false,
      source: 'file',
    });
    expect(await store.getUser('user:default/lonely')).toMatchObject({
      noGroups: true,
    });
    expect(await store.getUser('user:default/ghost')).toMatchObject({
      orphaned: true,
    });
    const broken = await store.getUser('user:default/broken');
    expect(broken?.processingErrors).toBe(true);
    expect(broken?.details.errors[0].message).toBe(
      'spec.profile.email must be a string',
    );
    expect(await store.getUser('user:default/scimmy')).toMatchObject({
      source: 'scim',
      scimManaged: true,
    });
    expect((await store.getUser('user:default/dup-one'))?.duplicateEmail).toBe(
      true,
    );
    expect((await store.getUser('user:default/ada'))?.duplicateEmail).toBe(
      false,
    );

    const admins = await store.getGroup('group:default/platform-admins');
    expect(admins).toMatchObject({ directMemberCount: 1, totalMemberCount: 3 });
    const other = await store.getGroup('group:default/other-team');
    expect(other).toMatchObject({ directMemberCount: 6, totalMemberCount: 6 });
  });

  it('searches, filters, sorts and pages in SQL', async () => {
    const { store, indexer } = await setup();
    await indexer.refresh();

    const names = async (
      filter: Parameters<typeof store.queryUsers>[0],
      sort: Parameters<typeof store.queryUsers>[1] = sortByName,
      p: Parameters<typeof store.queryUsers>[2] = page,
    ) => {
      const r = await store.queryUsers(filter, sort, p);
      return { names: r.items.map(u => u.name), total: r.totalItems };
    };

    expect(await names({ q: 'NESTED' })).toEqual({ names: ['nina'], total: 1 });
    expect(await names({ q: 'same@' })).toEqual({
      names: ['dup-one', 'dup-two'],
      total: 2,
    });
    // A LIKE wildcard in the search is taken literally.
    expect(await names({ q: '%' })).toEqual({ names: [], total: 0 });
    expect(await names({ group: 'group:default/platform-admins' })).toEqual({
      names: ['ada', 'nina', 'sam'],
      total: 3,
    });
    expect(await names({ statuses: ['noGroups', 'orphaned'] })).toEqual({
      names: ['ghost', 'lonely'],
      total: 2,
    });
    expect(await names({ statuses: ['duplicateEmail'] })).toEqual({
      names: ['dup-one', 'dup-two'],
      total: 2,
    });
    expect(await names({ sources: ['scim'] })).toEqual({
      names: ['scimmy'],
      total: 1,
    });
    expect(await names({ group: 'group:default/team', q: 'sam' })).toEqual({
      names: ['sam'],
      total: 1,
    });
    expect(
      await names(
        {},
        { field: 'name', order: 'desc' },
        { offset: 1, limit: 2 },
      ),
    ).toEqual({ names: ['sam', 'nina'], total: 9 });
    expect(
      (
        await names(
          {},
          { field: 'inheritedGroupCount', order: 'desc' },
          { offset: 0, limit: 3 },
        )
      ).names,
    ).toEqual(['nina', 'sam', 'ada']);

    const summary = await store.summary();
    expect(summary).toMatchObject({
      totalUsers: 9,
      totalGroups: 4,
      bySource: { file: 8, scim: 1 },
      byStatus: {
        orphaned: 1,
        processingErrors: 1,
        noGroups: 1,
        duplicateEmail: 2,
        deactivated: 0,
      },
    });
    expect(summary.indexedAt).toEqual(expect.any(String));

    const members = await store.queryGroupMembers(
      'group:default/platform-admins',
      { offset: 0, limit: 2 },
    );
    expect(members.totalItems).toBe(3);
    expect(members.items.map(m => [m.user.name, m.direct])).toEqual([
      ['ada', true],
      ['nina', false],
    ]);
  });

  it('rewrites only what changed', async () => {
    const { store, reader, indexer } = await setup();
    await indexer.refresh();

    expect(await indexer.refresh()).toEqual({
      usersChanged: 0,
      usersRemoved: 0,
      groupsChanged: 0,
      groupsRemoved: 0,
      closuresRebuilt: 0,
    });

    // The department leaves platform-admins (both declarations of the edge
    // go): only its members' closures move.
    reader.entities = reader.entities
      .filter(
        e =>
          !['department', 'platform-admins', 'ada'].includes(e.metadata.name),
      )
      .concat(
        group('department', { children: ['team'] }),
        group('platform-admins'),
      );
    const changed = await indexer.refresh();
    expect(changed).toEqual({
      usersChanged: 0,
      usersRemoved: 1,
      groupsChanged: 2,
      groupsRemoved: 0,
      // Nina and Sam: direct members of team, whose ancestry changed.
      closuresRebuilt: 2,
    });
    const closure = await store.getClosure(['user:default/nina']);
    expect(closure.get('user:default/nina')?.map(r => r.groupRef)).toEqual([
      'group:default/team',
      'group:default/department',
    ]);
    expect(await store.getUser('user:default/ada')).toBeUndefined();
    expect(await store.getGroup('group:default/platform-admins')).toMatchObject(
      { directMemberCount: 0, totalMemberCount: 0 },
    );

    // A second user with ada's email no longer has a duplicate once one goes.
    reader.entities = reader.entities
      .filter(e => e.metadata.name !== 'dup-two')
      .concat(
        user('newbie', { email: 'newbie@example.com', groups: ['team'] }),
      );
    const next = await indexer.refresh();
    expect(next).toMatchObject({ usersChanged: 1, usersRemoved: 1 });
    expect(next.closuresRebuilt).toBe(1);
    expect((await store.getUser('user:default/dup-one'))?.duplicateEmail).toBe(
      false,
    );
    expect(await store.getGroup('group:default/team')).toMatchObject({
      directMemberCount: 3,
      totalMemberCount: 3,
    });
  });

  it('pauses after each page of the listing as long as the page took, and paces by the pages alone', async () => {
    const { store } = await setup();
    // Pages of 4 entities that take 40 ms each to arrive; the reader notes
    // how long the indexer took to ask for the next one.
    class SlowPages extends FakeCatalogReader {
      gapsMs: number[] = [];
      async *listVersions() {
        for await (const versions of super.listVersions()) {
          await new Promise(r => setTimeout(r, 40));
          const yielded = Date.now();
          yield versions;
          this.gapsMs.push(Date.now() - yielded);
        }
      }
    }
    const reader = new SlowPages(flaggedOrg());
    const indexer = new IdentityIndexer(
      store,
      reader,
      mockServices.logger.mock(),
      engineSettings(),
    );

    expect(await indexer.refresh()).toMatchObject({ usersChanged: 9 });

    const pages = reader.gapsMs.length;
    expect(pages).toBeGreaterThanOrEqual(3);
    for (const gap of reader.gapsMs) {
      expect(gap).toBeGreaterThanOrEqual(38);
    }
    // Paced by the pages' own time, without the pauses.
    const { scanMs } = await store.refreshRecord();
    const pauses = reader.gapsMs.reduce((a, b) => a + b, 0);
    expect(scanMs).toBeGreaterThanOrEqual(pages * 39);
    expect(scanMs).toBeLessThan(pages * 40 + pauses);
  });

  it('paces refreshes by the time their scan takes, and runs requested ones at once', async () => {
    const { store } = await setup();
    // A catalog whose listing takes 200 ms, at 1% of the time: a refresh
    // at most every 20 s.
    class SlowReader extends FakeCatalogReader {
      async *listVersions() {
        await new Promise(r => setTimeout(r, 200));
        yield* super.listVersions();
      }
    }
    const indexer = new IdentityIndexer(
      store,
      new SlowReader(flaggedOrg()),
      mockServices.logger.mock(),
      engineSettings(),
      0.01,
    );

    expect(await indexer.refreshIfDue()).toMatchObject({ usersChanged: 9 });
    const record = await store.refreshRecord();
    expect(record.scanMs).toBeGreaterThanOrEqual(190);
    expect(record.startedAt).toBeInstanceOf(Date);

    expect(await indexer.refreshIfDue()).toBeUndefined();
    expect((await store.refreshRecord()).startedAt).toEqual(record.startedAt);

    await store.requestRefresh(new Date());
    // A request in the very millisecond a refresh starts counts as after it
    // (that refresh may have missed the change): keep them apart here.
    await new Promise(r => setTimeout(r, 5));
    expect(await indexer.refreshIfDue()).toMatchObject({ usersChanged: 0 });
    const after = await store.refreshRecord();
    expect(after.startedAt!.getTime()).toBeGreaterThan(
      record.startedAt!.getTime(),
    );
    // The request was served: the pace holds again.
    expect(await indexer.refreshIfDue()).toBeUndefined();

    const later = new Date(
      after.startedAt!.getTime() + after.scanMs! / 0.01 + 1,
    );
    expect(await indexer.refreshIfDue(later)).toMatchObject({
      usersChanged: 0,
    });
  });
});
