import { mockServices } from '@backstage/backend-test-utils';
import { readIdentityPolicyConfig } from './readIdentityPolicyConfig';

const read = (identityPolicy: object) =>
  readIdentityPolicyConfig(
    mockServices.rootConfig({ data: { identityPolicy } }),
  );

describe('readIdentityPolicyConfig', () => {
  it('guards the destructive catalog operations, the Identity page and reviews by default', () => {
    const config = read({});
    expect([...config.guardedPermissions].sort()).toEqual([
      'catalog.entity.create',
      'catalog.entity.delete',
      'catalog.entity.refresh',
      'catalog.ingestion.manage',
      'catalog.location.create',
      'catalog.location.delete',
      'identity.read',
      'identity.review.manage',
      'identity.user.offboard',
    ]);
    expect(config.defaultDecision).toBe('allow');
  });

  it('normalises group refs', () => {
    expect(
      read({ adminGroups: ['Platform-Admins', 'group:ops/sre'] }).adminGroups,
    ).toEqual(['group:default/platform-admins', 'group:ops/sre']);
  });

  it.each([
    [{ adminGroups: ['user:default/ada'] }, 'identityPolicy.adminGroups[0]'],
    [{ adminGroups: ['group:default/'] }, 'identityPolicy.adminGroups[0]'],
    [
      { adminGroups: ['group:default/bad name'] },
      'identityPolicy.adminGroups[0]',
    ],
    [
      { guardedPermissions: ['catalog.entity.delet'] },
      'identityPolicy.guardedPermissions[0]',
    ],
    [{ defaultDecision: 'maybe' }, 'identityPolicy.defaultDecision'],
    [
      { rules: [{ permission: 'nope', allowGroups: ['g'] }] },
      'identityPolicy.rules[0].permission',
    ],
    [
      { rules: [{ action: 'destroy', allowGroups: ['g'] }] },
      'identityPolicy.rules[0].action',
    ],
    [
      { rules: [{ resourceType: 'thing', allowGroups: ['g'] }] },
      'identityPolicy.rules[0].resourceType',
    ],
    [
      { rules: [{ allowGroups: ['g'] }] },
      'identityPolicy.rules[0]: set at least one',
    ],
    [
      { rules: [{ permission: 'catalog.entity.delete' }] },
      'identityPolicy.rules[0]: set allowGroups',
    ],
    [
      { rules: [{ permission: 'catalog.location.delete', allowOwners: true }] },
      'identityPolicy.rules[0].allowOwners',
    ],
    [
      {
        rules: [
          { permission: 'catalog.entity.delete', allowGroups: ['user:x'] },
        ],
      },
      'identityPolicy.rules[0].allowGroups[0]',
    ],
  ])('rejects %j, naming %s', (identityPolicy, key) => {
    expect(() => read(identityPolicy)).toThrow(key);
  });

  it('accepts other plugins’ permissions once declared', () => {
    expect(() =>
      read({ guardedPermissions: ['scaffolder.task.create'] }),
    ).toThrow('unknown permission');
    const config = read({
      knownPermissions: ['scaffolder.task.create'],
      guardedPermissions: ['scaffolder.task.create'],
    });
    expect(config.guardedPermissions).toEqual(
      new Set(['scaffolder.task.create']),
    );
  });
});
