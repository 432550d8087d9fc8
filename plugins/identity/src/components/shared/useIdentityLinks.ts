import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { useCallback } from 'react';
import { rootRouteRef } from '../../routes';

function detailLink(
  root: string,
  kind: 'users' | 'groups',
  ref: string,
): string {
  const { namespace, name } = parseEntityRef(ref);
  return `${root.replace(/\/$/, '')}/${kind}/${encodeURIComponent(
    namespace,
  )}/${encodeURIComponent(name)}`;
}

/** Links inside the Identity page and out to the catalog. */
export function useIdentityLinks() {
  const root = useRouteRef(rootRouteRef)();
  const entityRoute = useRouteRef(entityRouteRef);
  return {
    root,
    users: `${root.replace(/\/$/, '')}/users`,
    groups: `${root.replace(/\/$/, '')}/groups`,
    reviews: `${root.replace(/\/$/, '')}/reviews`,
    campaign: useCallback(
      (id: string) =>
        `${root.replace(/\/$/, '')}/reviews/${encodeURIComponent(id)}`,
      [root],
    ),
    user: useCallback((ref: string) => detailLink(root, 'users', ref), [root]),
    group: useCallback(
      (ref: string) => detailLink(root, 'groups', ref),
      [root],
    ),
    catalogEntity: useCallback(
      (ref: string) => {
        const { kind, namespace, name } = parseEntityRef(ref);
        return entityRoute({ kind, namespace, name });
      },
      [entityRoute],
    ),
  };
}
