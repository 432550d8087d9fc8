import {
  ApiBlueprint,
  coreExtensionData,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import PeopleIcon from '@material-ui/icons/People';
import { identityApiRef, IdentityClient } from '../api';
import { rootRouteRef } from '../routes';
import { TabFallback } from './TabFallback';

/**
 * Shown only to users allowed `identity.read`. The app decides it when the
 * session starts (the permission is authorized once, on sign-in); the tabs'
 * own gate and the backend check it again on every request.
 */
const readersOnly = { permissions: { $contains: 'identity.read' } };

/**
 * The identity backend client.
 */
export const identityApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: identityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new IdentityClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The Identity page at `/identity`; its title and icon make the nav item, and
 * its sub-pages the tabs. A path under it that names no tab the user has
 * leads to the first tab they have (My access, for users without
 * `identity.read`).
 */
export const identityPage = PageBlueprint.makeWithOverrides({
  *factory(originalFactory, { inputs }) {
    const tabs = inputs.pages.map(page =>
      page.get(coreExtensionData.routePath),
    );
    const page = originalFactory({
      path: '/identity',
      title: 'Identity',
      icon: <PeopleIcon fontSize="inherit" />,
      routeRef: rootRouteRef,
    });
    for (const data of page) {
      if (data.id === coreExtensionData.reactElement.id) {
        yield coreExtensionData.reactElement(
          <TabFallback tabs={tabs}>{data.value as JSX.Element}</TabFallback>,
        );
      } else {
        yield data;
      }
    }
  },
});

/**
 * The Users tab: summary, filters, the users table and user details.
 */
export const identityUsersPage = SubPageBlueprint.make({
  name: 'users',
  if: readersOnly,
  params: {
    path: 'users',
    title: 'Users',
    loader: async () => {
      const [{ UsersRoutes }, { Content }] = await Promise.all([
        import('../components/UsersPage/UsersRoutes'),
        import('@backstage/core-components'),
      ]);
      return (
        <Content>
          <UsersRoutes />
        </Content>
      );
    },
  },
});

/**
 * The Groups tab: the hierarchy and group details.
 */
export const identityGroupsPage = SubPageBlueprint.make({
  name: 'groups',
  if: readersOnly,
  params: {
    path: 'groups',
    title: 'Groups',
    loader: async () => {
      const [{ GroupsRoutes }, { Content }] = await Promise.all([
        import('../components/GroupsPage/GroupsRoutes'),
        import('@backstage/core-components'),
      ]);
      return (
        <Content>
          <GroupsRoutes />
        </Content>
      );
    },
  },
});

/**
 * The My access tab: what the signed-in user may do and why not. Every
 * signed-in user sees it, guests included; it is the only tab of the page
 * for users without `identity.read`.
 */
export const identityMyAccessPage = SubPageBlueprint.make({
  name: 'my-access',
  params: {
    path: 'my-access',
    title: 'My access',
    loader: async () => {
      const [{ MyAccessTab }, { Content }] = await Promise.all([
        import('../components/AccessPage/AccessTabs'),
        import('@backstage/core-components'),
      ]);
      return (
        <Content>
          <MyAccessTab />
        </Content>
      );
    },
  },
});

/**
 * The Who can tab: the users allowed a guarded permission, with their paths.
 */
export const identityWhoCanPage = SubPageBlueprint.make({
  name: 'who-can',
  if: readersOnly,
  params: {
    path: 'who-can',
    title: 'Who can',
    loader: async () => {
      const [{ WhoCanTab }, { Content }] = await Promise.all([
        import('../components/AccessPage/AccessTabs'),
        import('@backstage/core-components'),
      ]);
      return (
        <Content>
          <WhoCanTab />
        </Content>
      );
    },
  },
});

/**
 * The Check access tab: one decision of the identity policy, explained.
 */
export const identityCheckAccessPage = SubPageBlueprint.make({
  name: 'check-access',
  if: readersOnly,
  params: {
    path: 'check-access',
    title: 'Check access',
    loader: async () => {
      const [{ CheckAccessTab }, { Content }] = await Promise.all([
        import('../components/AccessPage/AccessTabs'),
        import('@backstage/core-components'),
      ]);
      return (
        <Content>
          <CheckAccessTab />
        </Content>
      );
    },
  },
});

/**
 * The Policy dry-run tab: who would gain or lose what under a proposed
 * `identityPolicy`.
 */
export const identityDryRunPage = SubPageBlueprint.make({
  name: 'dry-run',
  if: readersOnly,
  params: {
    path: 'dry-run',
    title: 'Policy dry-run',
    loader: async () => {
      const [{ DryRunTab }, { Content }] = await Promise.all([
        import('../components/DryRunPage/DryRunTab'),
        import('@backstage/core-components'),
      ]);
      return (
        <Content>
          <DryRunTab />
        </Content>
      );
    },
  },
});

/**
 * The Reviews tab: access review campaigns. Every signed-in user has it,
 * like My access: the app decides tabs once per session and from
 * permissions only, while being a reviewer comes and goes with campaigns.
 * The backend shows each user their own part (managers every campaign,
 * reviewers those with items of theirs, others an empty list).
 */
export const identityReviewsPage = SubPageBlueprint.make({
  name: 'reviews',
  params: {
    path: 'reviews',
    title: 'Reviews',
    loader: async () => {
      const [{ ReviewsTab }, { Content }] = await Promise.all([
        import('../components/ReviewsPage/ReviewsTab'),
        import('@backstage/core-components'),
      ]);
      return (
        <Content>
          <ReviewsTab />
        </Content>
      );
    },
  },
});

/**
 * The Identity plugin for the new frontend system.
 *
 * @alpha
 */
export const identityPlugin = createFrontendPlugin({
  pluginId: 'identity',
  title: 'Identity',
  icon: <PeopleIcon fontSize="inherit" />,
  info: { packageJson: () => import('../../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    identityApi,
    identityPage,
    identityUsersPage,
    identityGroupsPage,
    identityMyAccessPage,
    identityWhoCanPage,
    identityCheckAccessPage,
    identityDryRunPage,
    identityReviewsPage,
  ],
});
