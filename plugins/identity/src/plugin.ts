import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import type { JSX } from 'react';
import { identityApiRef, IdentityClient } from './api';
import { rootRouteRef } from './routes';

/**
 * The Identity plugin for the legacy frontend system.
 *
 * @public
 */
export const identityPlugin = createPlugin({
  id: 'identity',
  apis: [
    createApiFactory({
      api: identityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new IdentityClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The Identity page: users, groups, memberships and provenance. Mount it at
 * `/identity`.
 *
 * @public
 */
export const IdentityPage: () => JSX.Element = identityPlugin.provide(
  createRoutableExtension({
    name: 'IdentityPage',
    component: () =>
      import('./components/IdentityPage/IdentityPage').then(
        m => m.IdentityPage,
      ),
    mountPoint: rootRouteRef,
  }),
);
