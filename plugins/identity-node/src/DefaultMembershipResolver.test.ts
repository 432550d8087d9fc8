import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { DefaultMembershipResolver } from './DefaultMembershipResolver';
import { MembershipSource } from './MembershipSource';
import { createTrustedOrigins } from './TrustedOrigins';
import { group, user } from './__testUtils__/orgEntities';

class InMemorySource implements MembershipSource {
  entities: Entity[] = [];
  groupLoads = 0;
  userBatches: string[][] = [];
  failing = false;

  async loadGroups() {
    this.groupLoads += 1;
    if (this.failing) {
      throw new Error('catalog unavailable');
    }
    return this.entities.filter(e => e.kind === 'Group');
  }

  async loadUsers(refs: string[]) {
    this.userBatches.push(refs);
    if (this.failing) {
      throw new Error('catalog unavailable');
    }
    return refs.map(ref =>
      this.entities.find(
        e => e.kind === 'User' && stringifyEntityRef(e) === ref,
      ),
    );
  }

  replace(entity: Entity) {
    this.entities = this.entities.map(e =>
      stringifyEntityRef(e) === stringifyEntityRef(entity) ? entity : e,
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
      now: () => now,
    });

  beforeEach(() => {
    now = 1_000_000;
    logger = mockServices.logger.mock();
    source = new InMemorySource();
    source.entities = [
      group('admins', { children: ['emea'] }),
      group('emea'),
      user('ada', ['admins']),
      user('nina', ['emea']),
      user('oscar', ['squad']),
      group('squad'),
    ];
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
    source.entities.push(
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

  it('rejects a negative depth', () => {
    expect(() => create(-1)).toThrow('maxDepth');
  });
});
