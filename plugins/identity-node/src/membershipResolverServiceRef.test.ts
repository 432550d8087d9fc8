import {
  mockServices,
  ServiceFactoryTester,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { membershipResolverServiceFactory } from './membershipResolverServiceRef';
import { catalogSource } from './testUtils';

const { user, group } = catalogSource('url:https://hr.example.com/org.yaml');

describe('membershipResolverServiceFactory', () => {
  it('gives every plugin the same resolver, reading the catalog', async () => {
    const tester = ServiceFactoryTester.from(membershipResolverServiceFactory, {
      dependencies: [
        catalogServiceMock.factory({
          entities: [
            group('admins', { children: ['emea'] }),
            group('emea'),
            user('nina', ['emea']),
          ],
        }),
      ],
    });
    const forPermission = await tester.getSubject('permission');
    const forIdentity = await tester.getSubject('identity');
    expect(forPermission).toBe(forIdentity);
    const nina = await forPermission.getUserMemberships('user:default/nina');
    expect(nina.memberships.map(m => m.path)).toEqual([
      ['user:default/nina', 'group:default/emea'],
      ['user:default/nina', 'group:default/emea', 'group:default/admins'],
    ]);
  });

  it('warns once when trusted origins are not configured', async () => {
    const logger = mockServices.rootLogger.mock();
    const child = mockServices.logger.mock();
    logger.child.mockReturnValue(child);
    const tester = ServiceFactoryTester.from(membershipResolverServiceFactory, {
      dependencies: [logger.factory, catalogServiceMock.factory()],
    });
    await tester.getSubject('permission');
    await tester.getSubject('identity');
    expect(child.warn).toHaveBeenCalledTimes(1);
    expect(child.warn.mock.calls[0][0]).toContain(
      'identityPolicy.directories is not set',
    );
  });

  it('fails at startup on invalid config, naming the key', async () => {
    const tester = ServiceFactoryTester.from(membershipResolverServiceFactory, {
      dependencies: [
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: { identityPolicy: { membership: { maxDepth: -2 } } },
        }),
      ],
    });
    await expect(tester.getSubject('permission')).rejects.toThrow(
      'identityPolicy.membership.maxDepth',
    );
  });
});
