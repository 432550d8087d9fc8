import { Entity } from '@backstage/catalog-model';
import { buildGroupGraph } from './GroupGraph';
import {
  parseUserEntity,
  resolveUserMemberships,
} from './resolveUserMemberships';
import { createDirectories, createTrustedOrigins } from './TrustedOrigins';
import { catalogSource } from './testUtils';

const TRUSTED = 'url:https://hr.example.com/org.yaml';
const UNTRUSTED = 'file:/tmp/someone-registered.yaml';
const { user, group } = catalogSource(TRUSTED);
const registered = catalogSource(UNTRUSTED);

const everyOrigin = createTrustedOrigins(undefined);
const onlyTrusted = createTrustedOrigins([TRUSTED]);

function resolve(
  entities: Entity[],
  userEntity: Entity | undefined,
  options: { maxDepth?: number; trusted?: boolean } = {},
) {
  const trustedOrigins = options.trusted ? onlyTrusted : everyOrigin;
  const graph = buildGroupGraph(entities, trustedOrigins);
  return resolveUserMemberships({
    userEntityRef: 'user:default/ada',
    user: userEntity && parseUserEntity(userEntity),
    graph,
    trustedOrigins,
    maxDepth: options.maxDepth ?? 10,
  });
}

describe('resolveUserMemberships', () => {
  const chain = [
    group('admins', { children: ['emea'] }),
    group('emea', { parent: 'admins' }),
    group('team-a', { parent: 'emea' }),
  ];

  it('follows parents and children, with the path of each membership', () => {
    const result = resolve(chain, user('ada', ['team-a']));
    expect(result.memberships.map(({ edges, ...m }) => m)).toEqual([
      {
        groupRef: 'group:default/team-a',
        direct: true,
        path: ['user:default/ada', 'group:default/team-a'],
      },
      {
        groupRef: 'group:default/emea',
        direct: false,
        path: [
          'user:default/ada',
          'group:default/team-a',
          'group:default/emea',
        ],
      },
      {
        groupRef: 'group:default/admins',
        direct: false,
        path: [
          'user:default/ada',
          'group:default/team-a',
          'group:default/emea',
          'group:default/admins',
        ],
      },
    ]);
    expect(result.truncated).toBe(false);
    expect(result.userFound).toBe(true);
    // Each step names the entity that declared it: ada declared team-a,
    // team-a its parent emea, and admins declared emea its child.
    expect(
      result.memberships[2].edges.map(e => [e.from, e.to, e.declaredBy]),
    ).toEqual([
      ['user:default/ada', 'group:default/team-a', 'user:default/ada'],
      ['group:default/team-a', 'group:default/emea', 'group:default/team-a'],
      ['group:default/emea', 'group:default/admins', 'group:default/emea'],
    ]);
    expect(result.memberships[0].edges[0].origin).toBe(TRUSTED);
  });

  it('counts group.spec.members as well as user.spec.memberOf', () => {
    const result = resolve(
      [...chain, group('sre', { members: ['ada'] })],
      user('ada', []),
    );
    expect([...result.groupRefs]).toEqual(['group:default/sre']);
    const unknownUser = resolve(
      [group('sre', { members: ['ada'] })],
      undefined,
    );
    expect(unknownUser.userFound).toBe(false);
    expect([...unknownUser.groupRefs]).toEqual(['group:default/sre']);
  });

  it('stops at the depth limit and says so', () => {
    const direct = resolve(chain, user('ada', ['team-a']), { maxDepth: 0 });
    expect([...direct.groupRefs]).toEqual(['group:default/team-a']);
    expect(direct.truncated).toBe(true);

    const one = resolve(chain, user('ada', ['team-a']), { maxDepth: 1 });
    expect([...one.groupRefs]).toEqual([
      'group:default/team-a',
      'group:default/emea',
    ]);
    expect(one.truncated).toBe(true);

    const exact = resolve(chain, user('ada', ['team-a']), { maxDepth: 2 });
    expect(exact.groupRefs.has('group:default/admins')).toBe(true);
    expect(exact.truncated).toBe(false);
  });

  it('ends on cycles and reports them from the graph', () => {
    const cyclic = [
      group('a', { parent: 'b' }),
      group('b', { parent: 'c' }),
      group('c', { parent: 'a' }),
      group('self', { parent: 'self' }),
      group('top'),
    ];
    const graph = buildGroupGraph(cyclic, everyOrigin);
    expect(graph.cycles).toEqual([
      ['group:default/a', 'group:default/b', 'group:default/c'],
      ['group:default/self'],
    ]);
    const result = resolve(cyclic, user('ada', ['a', 'self']));
    expect([...result.groupRefs].sort()).toEqual([
      'group:default/a',
      'group:default/b',
      'group:default/c',
      'group:default/self',
    ]);
  });

  it('finds cycles in a long chain without recursion', () => {
    const groups = Array.from({ length: 20000 }, (_, i) =>
      group(`g${i}`, { parent: `g${(i + 1) % 20000}` }),
    );
    const graph = buildGroupGraph(groups, everyOrigin);
    expect(graph.cycles).toHaveLength(1);
    expect(graph.cycles[0]).toHaveLength(20000);
  });

  it('ignores memberships declared by entities of untrusted origin', () => {
    const groups = [
      ...chain,
      // Someone registers a file that puts themselves under the admins.
      registered.group('evil', { parent: 'admins', members: ['ada'] }),
      // A trusted group may still declare an untrusted group its child.
      group('legit', { children: ['evil'] }),
    ];
    const selfDeclared = registered.user('ada', ['admins']);

    const untrusted = resolve(groups, selfDeclared, { trusted: true });
    expect([...untrusted.groupRefs]).toEqual([]);
    expect(untrusted.ignored).toEqual([
      {
        groupRef: 'group:default/admins',
        declaredBy: 'user:default/ada',
        origin: UNTRUSTED,
      },
      {
        groupRef: 'group:default/evil',
        declaredBy: 'group:default/evil',
        origin: UNTRUSTED,
      },
    ]);

    // What the untrusted group was after: the admins, through its parent
    // (and legit, which declares it a child).
    expect(
      untrusted.uncounted.find(u => u.groupRef === 'group:default/evil')
        ?.reaches,
    ).toEqual(['group:default/legit', 'group:default/admins']);

    // The same data without a trusted list: the declarations count.
    const open = resolve(groups, selfDeclared, { trusted: false });
    expect(open.groupRefs.has('group:default/admins')).toBe(true);
    expect(open.groupRefs.has('group:default/evil')).toBe(true);
  });

  it('resolves relative refs in the declaring entity namespace', () => {
    const ns = group('ops', { members: ['bob'] });
    ns.metadata.namespace = 'infra';
    const graph = buildGroupGraph([ns], everyOrigin);
    expect(graph.groupsListingMember.get('user:infra/bob')).toEqual(
      new Set(['group:infra/ops']),
    );
  });

  describe('directories', () => {
    const HR = 'file:/srv/hr/org.yaml';
    const ENTRA = 'scim:entra';
    const OKTA = 'scim:okta';
    const hr = catalogSource(HR);
    const entra = catalogSource(ENTRA);
    const okta = catalogSource(OKTA);
    const directories = (grants: string[] = []) =>
      createDirectories([
        { name: 'hr', origins: ['file:/srv/hr/*'] },
        { name: 'entra', origins: [ENTRA], grantsInto: grants },
        { name: 'okta', origins: [OKTA] },
      ]);
    const run = (
      entities: ReturnType<typeof group>[],
      userEntity: ReturnType<typeof user>,
      trustedOrigins = directories(),
      maxDepth = 10,
    ) =>
      resolveUserMemberships({
        userEntityRef: 'user:default/ada',
        user: parseUserEntity(userEntity),
        graph: buildGroupGraph(entities, trustedOrigins),
        trustedOrigins,
        maxDepth,
      });
    const hrAdmins = hr.group('admins');

    it("does not count a user's own claim on another directory's group", () => {
      const result = run([hrAdmins], entra.user('ada', ['admins']));
      expect([...result.groupRefs]).toEqual([]);
      expect(result.uncounted).toEqual([
        {
          groupRef: 'group:default/admins',
          reason: 'other-directory',
          path: ['user:default/ada', 'group:default/admins'],
          source: {
            declaredBy: 'user:default/ada',
            origin: ENTRA,
            directory: 'entra',
          },
          reaches: [],
        },
      ]);
      expect(result.ignored).toHaveLength(1);
    });

    it('counts it when the config lets that directory grant into the other', () => {
      const result = run(
        [hrAdmins],
        entra.user('ada', ['admins']),
        directories(['hr']),
      );
      expect([...result.groupRefs]).toEqual(['group:default/admins']);
      expect(result.memberships[0].edges[0].directory).toBe('entra');
      expect(result.uncounted).toEqual([]);
    });

    it("does not count a group's claim to sit under another directory's group", () => {
      const result = run(
        [hrAdmins, okta.group('okta-team', { parent: 'admins' })],
        okta.user('ada', ['okta-team']),
      );
      expect([...result.groupRefs]).toEqual(['group:default/okta-team']);
      expect(result.uncounted.map(u => [u.groupRef, u.reason, u.path])).toEqual(
        [
          [
            'group:default/admins',
            'other-directory',
            [
              'user:default/ada',
              'group:default/okta-team',
              'group:default/admins',
            ],
          ],
        ],
      );
    });

    it('lets a group decide its own members and children across directories', () => {
      const result = run(
        [
          hr.group('admins', { children: ['okta-team'] }),
          okta.group('okta-team'),
        ],
        okta.user('ada', ['okta-team']),
      );
      expect([...result.groupRefs].sort()).toEqual([
        'group:default/admins',
        'group:default/okta-team',
      ]);
    });

    it('treats two identity providers as two directories under the legacy list', () => {
      const legacy = createTrustedOrigins(['scim']);
      expect(legacy.directoryOf(ENTRA)).toBe('scim:entra');
      expect(legacy.directoryOf(OKTA)).toBe('scim:okta');
      const result = run(
        [okta.group('okta-admins')],
        entra.user('ada', ['okta-admins']),
        legacy,
      );
      expect(result.uncounted[0].reason).toBe('other-directory');
    });

    it('gives every other reason a membership does not count', () => {
      const result = run(
        [
          hr.group('a', { parent: 'b' }),
          hr.group('b', { parent: 'c' }),
          hr.group('c', { parent: 'a' }),
          hr.group('d', { parent: 'ghost' }),
          catalogSource('file:/tmp/x.yaml').group('evil', {
            members: ['ada'],
            parent: 'a',
          }),
        ],
        hr.user('ada', ['a', 'd', 'nowhere']),
        directories(),
        1,
      );
      const reasons = result.uncounted.map(u => `${u.groupRef} ${u.reason}`);
      expect(reasons.sort()).toEqual([
        'group:default/c max-depth',
        'group:default/evil untrusted-origin',
        'group:default/ghost unknown-group',
        'group:default/nowhere unknown-group',
      ]);
      expect(result.truncated).toBe(true);
      const deep = run(
        [
          hr.group('a', { parent: 'b' }),
          hr.group('b', { parent: 'c' }),
          hr.group('c', { parent: 'a' }),
        ],
        hr.user('ada', ['a']),
      );
      expect(deep.uncounted.map(u => [u.groupRef, u.reason, u.path])).toEqual([
        [
          'group:default/a',
          'cycle',
          [
            'user:default/ada',
            'group:default/a',
            'group:default/b',
            'group:default/c',
            'group:default/a',
          ],
        ],
      ]);
    });

    it("does not count a trusted group's listing for a user entity from no directory", () => {
      // Someone else's file now provides the name hr's group lists.
      const result = run(
        [hr.group('admins', { members: ['ada'] })],
        catalogSource('file:/tmp/registered.yaml').user('ada', []),
      );
      expect([...result.groupRefs]).toEqual([]);
      expect(result.uncounted.map(u => [u.groupRef, u.reason])).toEqual([
        ['group:default/admins', 'untrusted-origin'],
      ]);
      // The same listing counts for the user hr provides.
      const trusted = run(
        [hr.group('admins', { members: ['ada'] })],
        hr.user('ada', []),
      );
      expect([...trusted.groupRefs]).toEqual(['group:default/admins']);
    });
  });
});
