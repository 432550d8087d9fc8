import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { parseScimFilter } from '../filter/parseScimFilter';
import { ScimService } from '../service/ScimService';
import { DatabaseScimStore } from './DatabaseScimStore';
import { ScimChange } from './ScimStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const refOf = (kind: string, _idp: string, name: string) =>
  `${kind}:default/${name}`.toLocaleLowerCase('en-US');

async function setup(knex: Knex) {
  await DatabaseScimStore.migrate(knex);
  const store = new DatabaseScimStore(knex, { entityRefOf: refOf });
  const changes: ScimChange[] = [];
  const service = new ScimService({
    store,
    userNameStrategy: 'local-part',
    onChange: c => changes.push(c),
  });
  return { store, service, changes };
}

describe.each(databases.eachSupportedId())('DatabaseScimStore on %p', id => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(id);
  });

  it('keeps everything across a restart (a new store on the same database)', async () => {
    const { service } = await setup(knex);
    const user = await service.createUser('entra', {
      userName: 'restart@example.com',
      emails: [{ value: 'restart@example.com', type: 'work' }],
    });
    const group = await service.createGroup('entra', {
      displayName: 'Restarters',
      members: [{ value: user.id }],
    });
    await service.patchUser('entra', user.id, {
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });

    const again = await setup(knex);
    const reloaded = await again.store.getUser('entra', user.id);
    expect(reloaded).toMatchObject({
      userName: 'restart@example.com',
      active: false,
      entityName: 'restart',
      version: 2,
      groups: [{ value: group.id, display: 'Restarters' }],
    });
    const history = await again.store.getHistory({ resourceId: user.id });
    expect(history.map(h => h.action)).toEqual(['deactivated', 'created']);
    expect(history[0]).toMatchObject({
      idp: 'entra',
      entityRef: 'user:default/restart',
    });
  });

  it('resolves entity name collisions deterministically from the SCIM id', async () => {
    const { service, store } = await setup(knex);
    const a = await service.createUser('entra', {
      userName: 'sam@a.example.com',
    });
    const b = await service.createUser('okta', {
      userName: 'Sam@b.example.com',
    });
    expect(a.entityName).toBe('sam');
    expect(b.entityName).toBe(`sam-${b.id.replace(/-/g, '').slice(0, 8)}`);
    // The winner keeps its name when the other changes, and vice versa.
    await service.patchUser('okta', b.id, {
      Operations: [{ op: 'replace', path: 'title', value: 'x' }],
    });
    expect((await store.getUser('okta', b.id))!.entityName).toBe(b.entityName);
  });

  it('filters in the database on both engines', async () => {
    const { store, service } = await setup(knex);
    await service.createUser('filters', {
      userName: 'Mixed.Case@Example.com',
      title: 'Staff Engineer',
      emails: [{ value: 'MC@work.example.com', type: 'work', primary: true }],
    });
    await service.createUser('filters', {
      userName: 'other@example.com',
      active: false,
    });
    const list = async (filter: string) =>
      (
        await store.listUsers('filters', {
          filter: parseScimFilter(filter),
          startIndex: 1,
          count: 100,
        })
      ).items.map(u => u.userName);
    expect(await list('userName eq "mixed.case@example.com"')).toEqual([
      'Mixed.Case@Example.com',
    ]);
    expect(await list('title co "ENGINEER"')).toEqual([
      'Mixed.Case@Example.com',
    ]);
    expect(await list('emails[type eq "work" and primary eq true]')).toEqual([
      'Mixed.Case@Example.com',
    ]);
    expect(await list('emails[value sw "mc@"]')).toEqual([
      'Mixed.Case@Example.com',
    ]);
    expect(await list('active eq false')).toEqual(['other@example.com']);
    expect(await list('not (title pr)')).toEqual(['other@example.com']);
  });

  it('loses no update when PATCHes of one group run concurrently', async () => {
    const { service, store } = await setup(knex);
    const users = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        service.createUser('concurrency', { userName: `c${i}@example.com` }),
      ),
    );
    const group = await service.createGroup('concurrency', {
      displayName: 'Busy',
    });
    await Promise.all(
      users.map(u =>
        service.patchGroup('concurrency', group.id, {
          Operations: [
            { op: 'add', path: 'members', value: [{ value: u.id }] },
          ],
        }),
      ),
    );
    const after = await store.getGroup('concurrency', group.id);
    expect(after!.members!.map(m => m.value).sort()).toEqual(
      users.map(u => u.id).sort(),
    );
    expect(after!.version).toBe(21);

    await Promise.all(
      users.slice(0, 10).map(u =>
        service.patchGroup('concurrency', group.id, {
          Operations: [{ op: 'remove', path: `members[value eq "${u.id}"]` }],
        }),
      ),
    );
    const final = await store.getGroup('concurrency', group.id);
    expect(final!.members!.map(m => m.value).sort()).toEqual(
      users
        .slice(10)
        .map(u => u.id)
        .sort(),
    );
  });

  it('builds the entity graph for all or for a selection', async () => {
    const { service, store, changes } = await setup(knex);
    const u = await service.createUser('graph', {
      userName: 'graph.user@example.com',
    });
    const child = await service.createGroup('graph', { displayName: 'Child' });
    const parent = await service.createGroup('graph', {
      displayName: 'Parent',
      members: [{ value: u.id }, { value: child.id }],
    });
    const selected = await store.loadEntityGraph({
      userIds: [u.id],
      groupIds: [parent.id],
    });
    expect(selected.users.map(x => x.id)).toEqual([u.id]);
    expect(selected.groupsOf.get(u.id)).toEqual([parent.id]);
    expect(
      selected.membersOf
        .get(parent.id)!
        .map(m => m.type)
        .sort(),
    ).toEqual(['Group', 'User']);
    expect(selected.groupNames.get(child.id)!.entityName).toBe('child');

    changes.length = 0;
    await service.deleteUser('graph', u.id);
    expect(changes[0]).toMatchObject({
      userIds: [u.id],
      groupIds: [parent.id],
      previousRefs: ['user:default/graph.user'],
    });
    const all = await store.loadEntityGraph();
    expect(all.users.find(x => x.id === u.id)).toBeUndefined();
    expect(all.membersOf.get(parent.id)).toEqual([
      { value: child.id, type: 'Group' },
    ]);
  });

  it("lists a manager's reports in its changes, and its name in a selection's graph", async () => {
    const { service, store, changes } = await setup(knex);
    const enterprise =
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const boss = await service.createUser('mgr', {
      userName: 'boss@mgr.example.com',
    });
    const report = await service.createUser('mgr', {
      userName: 'report@mgr.example.com',
      [enterprise]: { manager: { value: boss.id } },
    });
    // Another IdP's user naming the same id is not entra's report.
    const other = await service.createUser('other-idp', {
      userName: 'other@mgr.example.com',
      [enterprise]: { manager: { value: boss.id } },
    });

    const graph = await store.loadEntityGraph({
      userIds: [report.id],
      groupIds: [],
    });
    expect(graph.users.map(u => u.id)).toEqual([report.id]);
    expect(graph.userNames.get(boss.id)).toEqual({
      idp: 'mgr',
      entityName: 'boss',
      active: true,
    });

    changes.length = 0;
    await service.patchUser('mgr', boss.id, {
      Operations: [{ op: 'replace', path: 'title', value: 'Director' }],
    });
    expect(changes[0].userIds).toEqual([boss.id]);

    changes.length = 0;
    await service.patchUser('mgr', boss.id, {
      Operations: [
        { op: 'replace', path: 'userName', value: 'chief@mgr.example.com' },
      ],
    });
    expect(changes[0].userIds).toEqual([boss.id, report.id]);

    changes.length = 0;
    await service.patchUser('mgr', boss.id, {
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(changes[0].userIds).toEqual([boss.id, report.id]);

    changes.length = 0;
    await service.deleteUser('mgr', boss.id);
    expect(changes[0].userIds).toEqual([boss.id, report.id]);
    expect(changes[0].userIds).not.toContain(other.id);
  });

  it('lists the memberships of held groups by the refs their IdP emits', async () => {
    const { store, service } = await setup(knex);
    const [member, outsider] = await Promise.all(
      ['held.member', 'not.held'].map(n =>
        service.createUser('holders', { userName: `${n}@example.com` }),
      ),
    );
    const group = await service.createGroup('holders', {
      displayName: 'Taken',
      members: [{ value: member.id }],
    });
    const free = await service.createGroup('holders', {
      displayName: 'Free',
      members: [{ value: outsider.id }],
    });
    const claim = (
      resourceType: 'User' | 'Group',
      resourceId: string,
      entityRef: string,
    ) => ({ idp: 'holders', resourceType, resourceId, entityRef });
    await store.recordOwnership({
      claims: [
        claim('User', member.id, 'user:default/held.member'),
        claim('User', outsider.id, 'user:default/not.held'),
        claim('Group', free.id, 'group:default/free'),
      ],
      conflicts: [
        {
          ...claim('Group', group.id, 'group:default/taken'),
          otherOrigin: 'file:/org.yaml',
        },
      ],
      resolved: [],
      stale: [],
      history: [],
    });
    const held = (await store.listHeldMemberships()).filter(
      h => h.conflict.idp === 'holders',
    );
    expect(held).toEqual([
      {
        memberRef: 'user:default/held.member',
        conflict: {
          ...claim('Group', group.id, 'group:default/taken'),
          otherOrigin: 'file:/org.yaml',
          detectedAt: expect.any(String),
        },
      },
    ]);
  });

  it('stores claims and conflicts, shows conflicts in the history, and adopts', async () => {
    const { store, service, changes } = await setup(knex);
    const user = await service.createUser('owners', {
      userName: 'owned.user@example.com',
    });
    const group = await service.createGroup('owners', {
      displayName: 'Owned Group',
      members: [{ value: user.id }],
    });
    const record = {
      idp: 'owners',
      resourceType: 'User' as const,
      resourceId: user.id,
      entityRef: 'user:default/owned.user',
    };
    const empty = {
      claims: [],
      conflicts: [],
      resolved: [],
      stale: [],
      history: [],
    };
    await store.recordOwnership({
      ...empty,
      claims: [
        {
          ...record,
          entityRef: 'group:default/owned_group',
          resourceType: 'Group',
          resourceId: group.id,
        },
      ],
      conflicts: [{ ...record, otherOrigin: 'file:/a.yaml' }],
      history: [
        {
          ...record,
          action: 'conflict',
          details: { otherOrigin: 'file:/a.yaml' },
        },
      ],
    });
    // Recording the same again (another replica, a retry) merges.
    await store.recordOwnership({
      ...empty,
      claims: [
        {
          ...record,
          entityRef: 'group:default/owned_group',
          resourceType: 'Group',
          resourceId: group.id,
        },
      ],
      conflicts: [{ ...record, otherOrigin: 'file:/b.yaml' }],
    });
    const owned = await store.readOwnership({
      entityRefs: ['group:default/owned_group', 'user:default/owned.user'],
      resourceIds: [user.id, group.id],
    });
    expect(owned.claims).toEqual([
      expect.objectContaining({
        entityRef: 'group:default/owned_group',
        idp: 'owners',
        resourceId: group.id,
      }),
    ]);
    expect(owned.conflicts).toEqual([
      {
        ...record,
        otherOrigin: 'file:/b.yaml',
        detectedAt: expect.any(String),
      },
    ]);
    expect(
      (await store.listConflicts()).filter(c => c.idp === 'owners'),
    ).toEqual(owned.conflicts);
    const history = await store.getHistory({ resourceId: user.id });
    expect(history.map(h => h.action)).toEqual(['conflict', 'created']);
    expect(history[0]).toMatchObject({
      details: { otherOrigin: 'file:/a.yaml' },
      conflict: {
        entityRef: 'user:default/owned.user',
        otherOrigin: 'file:/b.yaml',
      },
    });

    changes.length = 0;
    const adopted = await service.adoptConflict(
      'owners',
      user.id,
      'user:default/admin',
    );
    expect(adopted.otherOrigin).toBe('file:/b.yaml');
    // The user and the groups that list it are emitted again.
    expect(changes).toEqual([
      {
        idp: 'owners',
        userIds: [user.id],
        groupIds: [group.id],
        previousRefs: [],
      },
    ]);
    const after = await store.readOwnership({
      entityRefs: ['user:default/owned.user'],
      resourceIds: [user.id],
    });
    expect(after.conflicts).toEqual([]);
    expect(after.claims).toEqual([
      expect.objectContaining({
        idp: 'owners',
        adoptedFrom: 'file:/b.yaml',
        adoptedBy: 'user:default/admin',
      }),
    ]);
    const adoptedHistory = await store.getHistory({ resourceId: user.id });
    expect(adoptedHistory[0]).toMatchObject({
      action: 'adopted',
      details: { from: 'file:/b.yaml', by: 'user:default/admin' },
    });
    expect(adoptedHistory[0].conflict).toBeUndefined();
    await expect(
      service.adoptConflict('owners', user.id, 'user:default/admin'),
    ).rejects.toMatchObject({ status: 404 });

    // Deleting a record drops its conflict; the claim stays.
    await store.recordOwnership({
      ...empty,
      conflicts: [{ ...record, otherOrigin: 'file:/c.yaml' }],
    });
    await service.deleteUser('owners', user.id);
    const gone = await store.readOwnership({
      entityRefs: ['user:default/owned.user'],
      resourceIds: [user.id],
    });
    expect(gone.conflicts).toEqual([]);
    expect(gone.claims).toHaveLength(1);
  });
});
