import { ServiceFactoryTester } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  AccessExplainer,
  accessExplainerServiceFactory,
  createAccessExplainerService,
} from './accessExplainerServiceRef';

const explainer: AccessExplainer = {
  async explain(request) {
    return {
      permission: request.permission,
      result: 'allow',
      decidedBy: { kind: 'default' },
      reason: 'default decision',
    };
  },
  grantingGroups: permission => ({
    permission,
    guarded: false,
    everyone: true,
    grants: [],
    conditional: [],
  }),
  guardedPermissions: () => [],
  knownPermissions: () => ['catalog.entity.read'],
  withProposedConfig: () => ({ explainer, notSimulated: [] }),
};

describe('accessExplainerServiceRef', () => {
  it('gives the explainer one plugin registers to every other plugin', async () => {
    const tester = ServiceFactoryTester.from(accessExplainerServiceFactory);
    const forIdentity = await tester.getSubject('identity');
    const pending = forIdentity.explain({
      userEntityRef: 'user:default/ada',
      permission: 'catalog.entity.read',
    });
    (await tester.getSubject('permission')).register(explainer);
    await expect(pending).resolves.toMatchObject({ result: 'allow' });
    await expect(forIdentity.knownPermissions()).resolves.toEqual([
      'catalog.entity.read',
    ]);
  });

  it('says the policy module is not installed when nothing registers', async () => {
    const service = createAccessExplainerService({ waitMs: 10 });
    const error = await service.guardedPermissions().catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toContain(
      'the identity permission policy module (@identity-governance/plugin-permission-backend-module-identity-policy) is not installed',
    );
  });
});
