import { EntityGraph, StoredGroup, StoredUser } from '../store/ScimStore';
import { ENTERPRISE_USER_SCHEMA } from '../schema/scimSchemaUris';
import { ownershipCandidates, toRecordSet } from './toRecordSet';

const settings = (idp: string) =>
  idp === 'okta'
    ? { namespace: 'partners', groupType: 'org' }
    : { namespace: 'default', groupType: 'team' };

function user(id: string, entityName: string, active = true): StoredUser {
  return {
    id,
    idp: 'entra',
    userName: `${entityName}@example.com`,
    active,
    entityName,
    resource: { displayName: entityName },
    created: '2026-01-01T00:00:00Z',
    lastModified: '2026-01-02T00:00:00Z',
    version: 1,
  };
}

const group: StoredGroup = {
  id: 'g1',
  idp: 'entra',
  displayName: 'Platform',
  externalId: 'ext-g1',
  entityName: 'platform',
  resource: {},
  created: '2026-01-01T00:00:00Z',
  lastModified: '2026-01-01T00:00:00Z',
  version: 3,
};

// ada and bob are active members of platform; cy is deactivated; platform
// also holds okta's group `partners` (another IdP) and names ghost, a user
// outside the graph's selection.
const graph: EntityGraph = {
  users: [user('u1', 'ada'), user('u2', 'bob'), user('u3', 'cy', false)],
  groups: [group],
  userNames: new Map([
    ['u1', { idp: 'entra', entityName: 'ada', active: true }],
    ['u2', { idp: 'entra', entityName: 'bob', active: true }],
    ['u3', { idp: 'entra', entityName: 'cy', active: false }],
    ['u4', { idp: 'entra', entityName: 'ghost', active: true }],
  ]),
  groupNames: new Map([
    ['g1', { idp: 'entra', entityName: 'platform' }],
    ['g2', { idp: 'okta', entityName: 'partners' }],
  ]),
  membersOf: new Map([
    [
      'g1',
      [
        { value: 'u1', type: 'User' as const },
        { value: 'u2', type: 'User' as const },
        { value: 'u3', type: 'User' as const },
        { value: 'u4', type: 'User' as const },
        { value: 'g2', type: 'Group' as const },
      ],
    ],
  ]),
  groupsOf: new Map([
    ['u1', ['g1']],
    ['u2', ['g1']],
    ['u3', ['g1']],
    ['g2', ['g1']],
  ]),
};

describe('ownershipCandidates', () => {
  it('lists active users and every group, with the refs they would take', () => {
    expect(ownershipCandidates(graph, settings)).toEqual([
      {
        entityRef: 'user:default/ada',
        idp: 'entra',
        resourceType: 'User',
        resourceId: 'u1',
      },
      {
        entityRef: 'user:default/bob',
        idp: 'entra',
        resourceType: 'User',
        resourceId: 'u2',
      },
      {
        entityRef: 'user:default/ghost',
        idp: 'entra',
        resourceType: 'User',
        resourceId: 'u4',
      },
      {
        entityRef: 'group:default/platform',
        idp: 'entra',
        resourceType: 'Group',
        resourceId: 'g1',
      },
      {
        entityRef: 'group:partners/partners',
        idp: 'okta',
        resourceType: 'Group',
        resourceId: 'g2',
      },
    ]);
  });
});

describe('toRecordSet', () => {
  it('keeps what the decision emits, and memberships only to linked refs', () => {
    // bob is held back (another source has user:default/bob); ghost is
    // emitted by its own change but the catalog holds another entity there.
    const records = toRecordSet(graph, settings, {
      emit: new Set([
        'user:default/ada',
        'user:default/ghost',
        'group:default/platform',
        'group:partners/partners',
      ]),
      link: new Set([
        'user:default/ada',
        'group:default/platform',
        'group:partners/partners',
      ]),
    });
    expect(records.users).toEqual([
      {
        id: 'u1',
        idp: 'entra',
        entityRef: 'user:default/ada',
        namespace: 'default',
        name: 'ada',
        created: '2026-01-01T00:00:00Z',
        lastModified: '2026-01-02T00:00:00Z',
        userName: 'ada@example.com',
        resource: { displayName: 'ada' },
        memberOf: ['group:default/platform'],
      },
    ]);
    expect(records.groups).toEqual([
      {
        id: 'g1',
        idp: 'entra',
        entityRef: 'group:default/platform',
        namespace: 'default',
        name: 'platform',
        externalId: 'ext-g1',
        created: '2026-01-01T00:00:00Z',
        lastModified: '2026-01-01T00:00:00Z',
        displayName: 'Platform',
        type: 'team',
        members: ['user:default/ada'],
        children: ['group:partners/partners'],
      },
    ]);
    expect(records.withheld).toEqual([
      { entityRef: 'user:default/bob', idp: 'entra' },
      { entityRef: 'user:default/cy', idp: 'entra' },
    ]);
  });
});

describe('toRecordSet: managers', () => {
  const reportTo = (id: string, entityName: string, managerId: string) => ({
    ...user(id, entityName),
    resource: {
      displayName: entityName,
      [ENTERPRISE_USER_SCHEMA]: { manager: { value: managerId } },
    },
  });
  // m1 is entra's active user; m2 is deactivated; m3 is okta's (another
  // IdP, whatever its id); m4 is held back (another source owns its ref).
  const managers: EntityGraph = {
    users: [
      reportTo('r1', 'r1', 'm1'),
      reportTo('r2', 'r2', 'm2'),
      reportTo('r3', 'r3', 'm3'),
      reportTo('r4', 'r4', 'm4'),
      reportTo('r5', 'r5', 'nobody'),
      reportTo('r6', 'r6', 'r6'),
    ],
    groups: [],
    userNames: new Map([
      ['m1', { idp: 'entra', entityName: 'boss', active: true }],
      ['m2', { idp: 'entra', entityName: 'gone', active: false }],
      ['m3', { idp: 'okta', entityName: 'admin', active: true }],
      ['m4', { idp: 'entra', entityName: 'held', active: true }],
      ...['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map(
        id => [id, { idp: 'entra', entityName: id, active: true }] as const,
      ),
    ]),
    groupNames: new Map(),
    membersOf: new Map(),
    groupsOf: new Map(),
  };
  const reports = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map(
    r => `user:default/${r}`,
  );
  const decision = {
    emit: new Set([...reports, 'user:default/boss', 'user:partners/admin']),
    link: new Set([...reports, 'user:default/boss', 'user:partners/admin']),
  };

  it('names an active manager of the same IdP that it emits, and no one else', () => {
    const records = toRecordSet(managers, settings, decision);
    expect(
      Object.fromEntries(records.users.map(u => [u.name, u.managerRef])),
    ).toEqual({
      r1: 'user:default/boss',
      r2: undefined,
      r3: undefined,
      r4: undefined,
      r5: undefined,
      r6: undefined,
    });
  });

  it('leaves out a manager whose ref is emitted but not linked', () => {
    const records = toRecordSet(managers, settings, {
      emit: decision.emit,
      link: new Set(reports),
    });
    expect(records.users.find(u => u.name === 'r1')?.managerRef).toBe(
      undefined,
    );
  });
});
