import { buildGroupGraph } from './GroupGraph';
import { resolveUserMemberships } from './resolveUserMemberships';
import { createTrustedOrigins } from './TrustedOrigins';
import { group, TRUSTED, UNTRUSTED, user } from './__testUtils__/orgEntities';

const everyOrigin = createTrustedOrigins(undefined);
const onlyTrusted = createTrustedOrigins([TRUSTED]);

function resolve(
  entities: ReturnType<typeof group>[],
  userEntity: ReturnType<typeof user> | undefined,
  options: { maxDepth?: number; trusted?: boolean } = {},
) {
  const trustedOrigins = options.trusted ? onlyTrusted : everyOrigin;
  const graph = buildGroupGraph(entities, trustedOrigins);
  return resolveUserMemberships({
    userEntityRef: 'user:default/ada',
    user: userEntity,
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
    expect(result.memberships).toEqual([
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
      group('evil', { parent: 'admins', members: ['ada'] }, UNTRUSTED),
      // A trusted group may still declare an untrusted group its child.
      group('legit', { children: ['evil'] }),
    ];
    const selfDeclared = user('ada', ['admins'], UNTRUSTED);

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
});
