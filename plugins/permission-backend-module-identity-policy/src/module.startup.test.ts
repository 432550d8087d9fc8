import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createRecordingRootLogger } from './__testUtils__/recordingRootLogger';
import policyModule from './index';

function start(data: object, logs = createRecordingRootLogger()) {
  return startTestBackend({
    features: [
      permissionPlugin,
      policyModule,
      catalogServiceMock.factory(),
      logs.factory,
      mockServices.rootConfig.factory({ data }),
    ],
  });
}

describe('permissionModuleIdentityPolicy startup', () => {
  it.each([
    [
      { identityPolicy: { adminGroups: ['group:default/'] } },
      'identityPolicy.adminGroups[0]',
    ],
    [
      { identityPolicy: { guardedPermissions: ['catalog.nope'] } },
      'identityPolicy.guardedPermissions[0]',
    ],
    [
      { identityPolicy: { membership: { maxDepth: -1 } } },
      'identityPolicy.membership.maxDepth',
    ],
    [
      { identityPolicy: { trustedOrigins: ['a b'] } },
      'identityPolicy.trustedOrigins[0]',
    ],
  ])('refuses to start with %j', async (data, key) => {
    await expect(
      start({ permission: { enabled: true }, ...data }),
    ).rejects.toThrow(key);
  });

  it('warns loudly when permissions are disabled, and when origins are not restricted', async () => {
    const logs = createRecordingRootLogger();
    const backend = await start({ identityPolicy: {} }, logs);
    const warnings = logs.lines
      .filter(l => l.level === 'warn')
      .map(l => l.message);
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('permission.enabled is not true'),
        expect.stringContaining('identityPolicy.directories is not set'),
      ]),
    );
    expect(
      warnings.filter(w => w.includes('directories is not set')),
    ).toHaveLength(1);
    await backend.stop();
  });
});
