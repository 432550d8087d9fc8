import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import PeopleIcon from '@material-ui/icons/People';
import { identityApiRef, IdentityClient } from '../api';
import { rootRouteRef } from '../routes';

/**
 * The identity backend client.
 *
 * @alpha
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
 * its sub-pages the tabs.
 *
 * @alpha
 */
export const identityPage = PageBlueprint.make({
  params: {
    path: '/identity',
    title: 'Identity',
    icon: <PeopleIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
  },
});

/**
 * The Users tab: summary, filters, the users table and user details.
 *
 * @alpha
 */
export const identityUsersPage = SubPageBlueprint.make({
  name: 'users',
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
 *
 * @alpha
 */
export const identityGroupsPage = SubPageBlueprint.make({
  name: 'groups',
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
  ],
});
