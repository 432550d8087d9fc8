import {
  mockApis,
  renderInTestApp,
  TestApiPair,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { SWRConfig } from 'swr';
import { IdentityApi, identityApiRef } from '../api';
import { rootRouteRef } from '../routes';

/**
 * Renders an element as the Identity page would: route refs mounted, the
 * identity API and a permission API answering `authorize` per permission.
 */
export function renderIdentity(
  element: JSX.Element,
  options: {
    api: IdentityApi;
    /** Permission names to deny; everything else is allowed. */
    deny?: string[];
    /** Replaces the permission API that `deny` configures. */
    permissionApi?: PermissionApi;
    mountPath?: string;
    initialRoute?: string;
    apis?: TestApiPair<any>[];
  },
) {
  const deny = new Set(options.deny ?? []);
  // usePermission caches decisions in SWR's global cache; a fresh cache per
  // render keeps one test's decisions out of the next.
  const isolated = (
    <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>
  );
  return renderInTestApp(isolated, {
    mountedRoutes: {
      '/identity': rootRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
    mountPath: options.mountPath,
    initialRouteEntries: options.initialRoute
      ? [options.initialRoute]
      : undefined,
    apis: [
      [identityApiRef, options.api],
      [
        permissionApiRef,
        options.permissionApi ??
          mockApis.permission({
            authorize: request =>
              deny.has(request.permission.name)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
      ],
      ...(options.apis ?? []),
    ],
  });
}
