import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { DefaultMembershipResolver } from './DefaultMembershipResolver';
import { MembershipSource } from './MembershipSource';
import { createTrustedOrigins } from './TrustedOrigins';
import { catalogSource } from './testUtils';

const TRUSTED = 'url:https://hr.example.com/org.yaml';
const { user, group } = catalogSource(TRUSTED);
const registered = catalogSource('file:/tmp/someone-registered.yaml');

/** Entities with etags that change on every replace, as the catalog's do. */
class InMemorySource implements MembershipSource {
  entities: Entity[] = [];
  /** Refreshes of the group graph (listings). */
  groupLoads = 0;
  groupBatches: string[][] = [];
  userBatches: string[][] = [];
  failing = false;
  #version = 0;

  #check() {
    if (this.failing) {
      throw new Error('catalog unavailable');
    }
  }

  #find(kind: string, ref: string) {
    return this.entities.find(
      e => e.kind === kind && stringifyEntityRef(e) === ref,
    );
  }

  async listGroupVersions() {
    this.groupLoads += 1;
    this.#check();
    return this.entities
      .filter(e => e.kind === 'Group')
      .map(e => ({ entityRef: stringifyEntityRef(e), etag: e.metadata.etag }));
  }

  async loadGroups(refs: string[]) {
    this.groupBatches.push(refs);
    this.#check();
    return refs.map(ref => this.#find('Group', ref));
  }

  async loadUsers(refs: string[]) {
    this.userBatches.push(refs);
    this.#check();
    return refs.map(ref => this.#find('User', ref));
  }

  withEtag(entity: Entity): Entity {
    this.#version += 1;
    return {
      ...entity,
      metadata: { ...entity.metadata, etag: `v${this.#version}` },
    };
  }

  add(...entities: Entity[]) {
    this.entities.push(...entities.map(e => this.withEtag(e)));
  }

  remove(ref: string) {
    this.entities = this.entities.filter(e => stringifyEntityRef(e) !== ref);
  }

  replace(entity: Entity) {
    const next = this.withEtag(entity);
    this.entities = this.entities.map(e =>
      stringifyEntityRef(e) === stringifyEntityRef(entity) ? next : e,
    );
  }
}

describe('DefaultMembershipResolver', () => {
  let now: number;
  let source: InMemorySource;
  let logger: ReturnType<typeof mockServices.logger.mock>;

  const create = (maxDepth = 10) =>
    new DefaultMembershipResolver({
      source,
      logger,
      trustedOrigins: createTrustedOrigins(undefined),
      maxDepth,
      cacheTtlMs: 5000,
      staleTtlMs: 60000,
      now: () => now,
    });

  beforeEach(() => {
    now = 1_000_000;
    logger = mockServices.logger.mock();
    source = new InMemorySource();
    source.add(
      group('admins', { children: ['emea'] }),
      group('emea'),
      user('ada', ['admins']),
      user('nina', ['emea']),
      user('oscar', ['squad']),
      group('squad'),
    );
  });

  it('resolves direct and nested memberships', async () => {
    const resolver = create();
    const nina = await resolver.getUserMemberships('user:default/nina');
    expect(nina.groupRefs.has('group:default/admins')).toBe(true);
    const oscar = await resolver.getUserMemberships('User:default/Oscar');
    expect(oscar.userEntityRef).toBe('user:default/oscar');
    expect(oscar.groupRefs.has('group:default/admins')).toBe(false);
  });

  it('batches concurrent user lookups and loads the group graph once', async () => {
    const resolver = create();
    await Promise.all([
      resolver.getUserMemberships('user:default/ada'),
      resolver.getUserMemberships('user:default/nina'),
      resolver.getUserMemberships('user:default/ada'),
      resolver.getUserMemberships('user:default/oscar'),
    ]);
    expect(source.groupLoads).toBe(1);
    expect(source.userBatches).toEqual([
      ['user:default/ada', 'user:default/nina', 'user:default/oscar'],
    ]);
  });

  it('stops counting a removed membership once the cache window has passed', async () => {
    const resolver = create();
    expect(
      (await resolver.getUserMemberships('user:default/ada')).groupRefs,
    ).toContain('group:default/admins');

    source.replace(user('ada', []));
    now += 1000;
    expect(
      (await resolver.getUserMemberships('user:default/ada')).groupRefs,
    ).toContain('group:default/admins');

    now += 4000; // 5 s after the first load: expired
    expect(
      (await resolver.getUserMemberships('user:default/ada')).groupRefs.size,
    ).toBe(0);
  });

  it('sees a group losing its parent after the window, for nested members', async () => {
    const resolver = create();
    expect(
      (await resolver.getUserMemberships('user:default/nina')).groupRefs,
    ).toContain('group:default/admins');
    source.replace(group('admins', { children: [] }));
    now += 5000;
    expect(
      (await resolver.getUserMemberships('user:default/nina')).groupRefs,
    ).not.toContain('group:default/admins');
  });

  it('reloads ahead of expiry in the background while serving the cache', async () => {
    const resolver = create();
    await resolver.getUserMemberships('user:default/ada');
    now += 3000; // past half the TTL
    await resolver.getUserMemberships('user:default/ada');
    expect(source.groupLoads).toBe(1);
    // Background refreshes are batched after a short delay.
    for (let i = 0; i < 50 && source.userBatches.length < 2; i++) {
      await new Promise(r => setTimeout(r, 20));
    }
    expect(source.groupLoads).toBe(2);
    expect(source.userBatches).toEqual([
      ['user:default/ada'],
      ['user:default/ada'],
    ]);
  });

  it('fails rather than serve expired data when the catalog is down', async () => {
    const resolver = create();
    await resolver.getUserMemberships('user:default/ada');
    source.failing = true;
    now += 1000;
    await expect(
      resolver.getUserMemberships('user:default/ada'),
    ).resolves.toBeDefined();
    now += 5000;
    await expect(
      resolver.getUserMemberships('user:default/ada'),
    ).rejects.toThrow('catalog unavailable');
    source.failing = false;
    await expect(
      resolver.getUserMemberships('user:default/ada'),
    ).resolves.toMatchObject({ userFound: true });
  });

  it('logs each cycle once and does not hang on it', async () => {
    source.add(
      group('loop-a', { parent: 'loop-b' }),
      group('loop-b', { parent: 'loop-a' }),
      user('lou', ['loop-a']),
    );
    const resolver = create();
    const lou = await resolver.getUserMemberships('user:default/lou');
    expect([...lou.groupRefs].sort()).toEqual([
      'group:default/loop-a',
      'group:default/loop-b',
    ]);
    now += 6000;
    await resolver.getUserMemberships('user:default/lou');
    const cycleLogs = logger.warn.mock.calls.filter(([m]) =>
      String(m).includes('cycle'),
    );
    expect(cycleLogs).toHaveLength(1);
    expect(cycleLogs[0][0]).toContain('group:default/loop-a');
  });

  it('logs the depth limit once per user', async () => {
    const resolver = create(0);
    const nina = await resolver.getUserMemberships('user:default/nina');
    expect(nina.truncated).toBe(true);
    expect(nina.groupRefs.has('group:default/admins')).toBe(false);
    now += 6000;
    await resolver.getUserMemberships('user:default/nina');
    expect(
      logger.warn.mock.calls.filter(([m]) => String(m).includes('depth limit')),
    ).toHaveLength(1);
  });

  it('loads only the groups whose etag changed, and reuses unchanged answers', async () => {
    const resolver = create();
    const first = await resolver.getUserMemberships('user:default/nina');
    expect(source.groupBatches).toHaveLength(1);
    expect(source.groupBatches[0]).toHaveLength(3);

    now += 5000; // expired: listed again, nothing changed
    const second = await resolver.getUserMemberships('user:default/nina');
    expect(source.groupLoads).toBe(2);
    expect(source.groupBatches).toHaveLength(1);
    expect(second).toBe(first);

    source.replace(group('squad', { parent: 'admins' }));
    now += 5000;
    const oscar = await resolver.getUserMemberships('user:default/oscar');
    expect(source.groupBatches[1]).toEqual(['group:default/squad']);
    expect(oscar.memberships.map(m => m.path)).toContainEqual([
      'user:default/oscar',
      'group:default/squad',
      'group:default/admins',
    ]);
    // Nina's answer is computed again from the new graph, and is the same.
    const third = await resolver.getUserMemberships('user:default/nina');
    expect(third).not.toBe(first);
    expect(third.groupRefs).toEqual(first.groupRefs);
  });

  it('sees groups deleted from and added to the catalog', async () => {
    const resolver = create();
    expect(
      (await resolver.getUserMemberships('user:default/nina')).groupRefs,
    ).toContain('group:default/admins');

    source.remove('group:default/admins');
    source.add(group('auditors', { children: ['squad'] }));
    now += 5000;
    expect(
      (await resolver.getUserMemberships('user:default/nina')).groupRefs,
    ).not.toContain('group:default/admins');
    expect(
      (await resolver.getUserMemberships('user:default/oscar')).groupRefs,
    ).toContain('group:default/auditors');
    expect(source.groupBatches[1]).toEqual(['group:default/auditors']);
  });

  it('keeps the previous graph when loading the changed groups fails', async () => {
    const resolver = create();
    await resolver.getUserMemberships('user:default/nina');
    source.replace(group('admins', { children: [] }));
    const loadGroups = source.loadGroups.bind(source);
    source.loadGroups = async () => {
      throw new Error('catalog unavailable');
    };
    now += 5000;
    await expect(
      resolver.getUserMemberships('user:default/nina'),
    ).rejects.toThrow('catalog unavailable');
    source.loadGroups = loadGroups;
    expect(
      (await resolver.getUserMemberships('user:default/nina')).groupRefs,
    ).not.toContain('group:default/admins');
  });

  it('serves a stale user entity only to reads that accept it, and says so', async () => {
    const resolver = create();
    const first = await resolver.getUserMemberships('user:default/ada', {
      allowStale: true,
    });
    expect(first.fresh).toBe(true);
    source.replace(user('ada', []));

    now += 20000; // past the cache window, within the stale limit
    const stale = await resolver.getUserMemberships('user:default/ada', {
      allowStale: true,
    });
    expect(stale.fresh).toBe(false);
    expect(stale.groupRefs).toContain('group:default/admins');
    expect(source.userBatches).toHaveLength(1);

    const fresh = await resolver.getUserMemberships('user:default/ada');
    expect(fresh.fresh).toBe(true);
    expect(fresh.groupRefs.size).toBe(0);
    expect(source.userBatches).toHaveLength(2);
  });

  it('reloads a stale-read entity in the background past half the stale limit, and never serves it past the limit', async () => {
    const resolver = create();
    await resolver.getUserMemberships('user:default/ada', { allowStale: true });
    now += 31000;
    await resolver.getUserMemberships('user:default/ada', { allowStale: true });
    for (let i = 0; i < 50 && source.userBatches.length < 2; i++) {
      await new Promise(r => setTimeout(r, 20));
    }
    expect(source.userBatches).toHaveLength(2);

    source.replace(user('ada', []));
    now += 61000;
    const expired = await resolver.getUserMemberships('user:default/ada', {
      allowStale: true,
    });
    expect(expired.fresh).toBe(true);
    expect(expired.groupRefs.size).toBe(0);
  });

  describe('verifyPath', () => {
    it('holds for direct and nested memberships, declared on either end', async () => {
      source.add(group('ops', { members: ['oscar'] }));
      const resolver = create();
      expect(
        await resolver.verifyPath(['user:default/ada', 'group:default/admins']),
      ).toBe(true);
      expect(
        await resolver.verifyPath([
          'user:default/nina',
          'group:default/emea',
          'group:default/admins',
        ]),
      ).toBe(true);
      expect(
        await resolver.verifyPath(['user:default/oscar', 'group:default/ops']),
      ).toBe(true);
      expect(
        await resolver.verifyPath([
          'user:default/oscar',
          'group:default/admins',
        ]),
      ).toBe(false);
      expect(await resolver.verifyPath(['user:default/ada'])).toBe(false);
    });

    it('fails once an edge is gone, after the cache window', async () => {
      const resolver = create();
      const nested = [
        'user:default/nina',
        'group:default/emea',
        'group:default/admins',
      ];
      expect(await resolver.verifyPath(nested)).toBe(true);
      source.replace(group('admins', { children: [] }));
      now += 1000;
      expect(await resolver.verifyPath(nested)).toBe(true); // cached
      now += 4000;
      expect(await resolver.verifyPath(nested)).toBe(false);

      source.replace(user('ada', []));
      now += 5000;
      expect(
        await resolver.verifyPath(['user:default/ada', 'group:default/admins']),
      ).toBe(false);
      source.remove('group:default/squad');
      now += 5000;
      expect(
        await resolver.verifyPath([
          'user:default/oscar',
          'group:default/squad',
        ]),
      ).toBe(false);
    });

    it('ignores edges declared by entities of untrusted origin', async () => {
      source.add(
        registered.user('mallory', ['admins']),
        registered.group('fake', { parent: 'admins', members: ['oscar'] }),
      );
      const resolver = new DefaultMembershipResolver({
        source,
        logger,
        trustedOrigins: createTrustedOrigins([TRUSTED]),
        maxDepth: 10,
        cacheTtlMs: 5000,
        now: () => now,
      });
      expect(
        await resolver.verifyPath([
          'user:default/mallory',
          'group:default/admins',
        ]),
      ).toBe(false);
      expect(
        await resolver.verifyPath([
          'user:default/oscar',
          'group:default/fake',
          'group:default/admins',
        ]),
      ).toBe(false);
      expect(
        await resolver.verifyPath(['user:default/ada', 'group:default/admins']),
      ).toBe(true);
    });
  });

  it('serves a stale group graph only to reads that accept it', async () => {
    const resolver = create();
    await resolver.getUserMemberships('user:default/nina', {
      allowStale: true,
    });
    source.replace(group('admins', { children: [] }));
    now += 20000;
    const stale = await resolver.getUserMemberships('user:default/nina', {
      allowStale: true,
    });
    expect(stale.fresh).toBe(false);
    expect(stale.groupRefs).toContain('group:default/admins');
    const fresh = await resolver.getUserMemberships('user:default/nina');
    expect(fresh.fresh).toBe(true);
    expect(fresh.groupRefs).not.toContain('group:default/admins');
  });

  it('logs the depth limit for an answer first worked out from stale data', async () => {
    const resolver = create(0);
    await resolver.getUserMemberships('user:default/ada');
    now += 6000; // the graph is now older than the cache window
    const nina = await resolver.getUserMemberships('user:default/nina', {
      allowStale: true,
    });
    expect(nina.fresh).toBe(false);
    expect(nina.truncated).toBe(true);
    expect(
      logger.warn.mock.calls.filter(([m]) => String(m).includes('depth limit')),
    ).toHaveLength(1);
  });

  it('rejects a negative depth', () => {
    expect(() => create(-1)).toThrow('maxDepth');
  });
});
