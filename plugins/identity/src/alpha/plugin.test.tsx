import {
  ApiBlueprint,
  coreExtensionData,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { identityApiRef, IdentityClient } from '../api';
import plugin from '../alpha';
import { identityApi, identityGroupsPage, identityPage } from './plugin';

describe('identity plugin (new frontend system)', () => {
  it('is the identity plugin', () => {
    expect(plugin.pluginId).toBe('identity');
  });

  it('provides the identity client from discovery and fetch', () => {
    const factory = createExtensionTester(identityApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(identityApiRef);
    expect(factory.deps).toMatchObject({
      discoveryApi: discoveryApiRef,
      fetchApi: fetchApiRef,
    });
    expect(
      factory.factory({ discoveryApi: {}, fetchApi: {} } as any),
    ).toBeInstanceOf(IdentityClient);
  });

  it('mounts the page at /identity with the title that makes the nav item', () => {
    const tester = createExtensionTester(identityPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/identity');
    expect(tester.get(coreExtensionData.title)).toBe('Identity');
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
  });

  it('attaches the tabs to the page', () => {
    expect(identityGroupsPage).toMatchObject({
      attachTo: { relative: { kind: 'page' }, input: 'pages' },
    });
  });
});
