import { ScimRecordSet } from '@identity-governance/plugin-scim-node';
import { buildDelta } from './buildDelta';
import { buildEntities } from './buildEntities';

const records: ScimRecordSet = {
  users: [
    {
      id: 'u1',
      idp: 'entra',
      entityRef: 'user:people/ada',
      namespace: 'people',
      name: 'ada',
      externalId: 'ext-1',
      created: '2026-01-01T00:00:00Z',
      lastModified: '2026-01-02T00:00:00Z',
      userName: 'Ada@example.com',
      resource: {
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        emails: [
          { value: 'other@example.com' },
          { value: 'ada@example.com', primary: true },
        ],
        photos: [{ value: 'https://example.com/ada.png' }],
      },
      memberOf: ['group:people/zeta', 'group:people/alpha'],
    },
  ],
  groups: [
    {
      id: 'g1',
      idp: 'entra',
      entityRef: 'group:people/alpha',
      namespace: 'people',
      name: 'alpha',
      created: '2026-01-01T00:00:00Z',
      lastModified: '2026-01-03T00:00:00Z',
      displayName: 'Alpha Team',
      type: 'department',
      members: ['user:people/zed', 'user:people/ada'],
      children: ['group:people/zeta'],
    },
  ],
  withheld: [{ entityRef: 'user:people/gone', idp: 'okta' }],
};

describe('buildEntities', () => {
  it('builds users and groups with their provenance, under scim:<idp>', () => {
    const [user, group] = buildEntities(records);
    expect(user.locationKey).toBe('scim:entra');
    expect(user.entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: {
        name: 'ada',
        namespace: 'people',
        title: 'Ada Lovelace',
        annotations: {
          'backstage.io/managed-by-location': 'scim:entra',
          'backstage.io/managed-by-origin-location': 'scim:entra',
          'scim.identity-governance.io/idp': 'entra',
          'scim.identity-governance.io/id': 'u1',
          'scim.identity-governance.io/external-id': 'ext-1',
          'scim.identity-governance.io/provisioned-at': '2026-01-01T00:00:00Z',
          'scim.identity-governance.io/updated-at': '2026-01-02T00:00:00Z',
          'scim.identity-governance.io/user-name': 'Ada@example.com',
        },
      },
      spec: {
        profile: {
          displayName: 'Ada Lovelace',
          email: 'ada@example.com',
          picture: 'https://example.com/ada.png',
        },
        memberOf: [],
      },
    });
    expect(group.locationKey).toBe('scim:entra');
    expect(group.entity.metadata.annotations).not.toHaveProperty(
      'scim.identity-governance.io/external-id',
    );
    expect(group.entity.spec).toEqual({
      type: 'department',
      profile: { displayName: 'Alpha Team' },
      children: ['group:people/zeta'],
      members: ['user:people/ada', 'user:people/zed'],
    });
  });

  it("declares memberships on the group only, so a membership change leaves its members' entities as they were", () => {
    const [before] = buildEntities(records);
    const [after] = buildEntities({
      ...records,
      users: [{ ...records.users[0], memberOf: ['group:people/alpha'] }],
    });
    expect(before.entity.spec?.memberOf).toEqual([]);
    expect(after.entity).toEqual(before.entity);
  });

  it("carries the manager's ref the scim plugin resolved, and none without one", () => {
    const managed = { ...records.users[0], managerRef: 'user:people/grace' };
    const [withManager] = buildEntities({ ...records, users: [managed] });
    expect(
      withManager.entity.metadata.annotations?.[
        'scim.identity-governance.io/manager'
      ],
    ).toBe('user:people/grace');
    const [without] = buildEntities(records);
    expect(without.entity.metadata.annotations).not.toHaveProperty(
      'scim.identity-governance.io/manager',
    );
  });

  it('takes the userName as email only when it is an address', () => {
    const user = { ...records.users[0], userName: 'ada', resource: {} };
    const [built] = buildEntities({ ...records, users: [user], groups: [] });
    expect(built.entity.spec?.profile).toEqual({});
    expect(built.entity.metadata.title).toBeUndefined();
  });
});

describe('buildDelta', () => {
  it('re-emits the records and removes what they may have emitted before', () => {
    const delta = buildDelta(records, [
      {
        idp: 'entra',
        userIds: ['u1'],
        groupIds: ['g1'],
        // Renamed from old-ada; ada itself is emitted again.
        previousRefs: ['user:people/old-ada', 'User:people/Ada'],
      },
    ]);
    expect(delta.added.map(a => a.entity.metadata.name)).toEqual([
      'ada',
      'alpha',
    ]);
    expect(delta.removed).toEqual([
      { entityRef: 'user:people/old-ada', locationKey: 'scim:entra' },
      { entityRef: 'user:people/gone', locationKey: 'scim:okta' },
    ]);
  });
});
