import {
  ApiBlueprint,
  coreExtensionData,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { identityApiRef, IdentityClient } from '../api';
import plugin from '../alpha';
import {
  identityApi,
  identityCheckAccessPage,
  identityDryRunPage,
  identityGroupsPage,
  identityMyAccessPage,
  identityPage,
  identityReviewsPage,
  identityUsersPage,
  identityWhoCanPage,
} from './plugin';

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

  it('shows every tab but My access only to users allowed identity.read', () => {
    const readersOnly = { permissions: { $contains: 'identity.read' } };
    for (const tab of [
      identityUsersPage,
      identityGroupsPage,
      identityWhoCanPage,
      identityCheckAccessPage,
      identityDryRunPage,
    ]) {
      expect(tab).toMatchObject({ if: readersOnly });
    }
    expect((identityMyAccessPage as { if?: unknown }).if).toBeUndefined();
    // Reviewers need no identity.read; the backend shows each their part.
    expect((identityReviewsPage as { if?: unknown }).if).toBeUndefined();
    // The page, and so its nav item, is there for everyone.
    expect((identityPage as { if?: unknown }).if).toBeUndefined();
  });

  it('installs the access tabs with the plugin', () => {
    for (const id of [
      'sub-page:identity/my-access',
      'sub-page:identity/who-can',
      'sub-page:identity/check-access',
      'sub-page:identity/dry-run',
      'sub-page:identity/reviews',
    ]) {
      expect(plugin.getExtension(id as any)).toBeDefined();
    }
  });
});
