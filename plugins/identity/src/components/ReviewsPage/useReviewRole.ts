import { identityApiRef as userIdentityApiRef } from '@backstage/core-plugin-api';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  identityReadPermission,
  identityReviewManagePermission,
} from '@identity-governance/plugin-identity-common';
import useAsync from 'react-use/esm/useAsync';

/**
 * Who the signed-in user is to reviews: a manager (every campaign, start,
 * reassign, close, export), a reader (links to users and groups lead
 * somewhere), and their user ref, which marks the items they decide.
 */
export function useReviewRole() {
  const manage = usePermission({ permission: identityReviewManagePermission });
  const read = usePermission({ permission: identityReadPermission });
  const identity = useApi(userIdentityApiRef);
  const me = useAsync(
    async () => (await identity.getBackstageIdentity()).userEntityRef,
    [identity],
  );
  return {
    loading: manage.loading || read.loading || me.loading,
    error: manage.error ?? me.error,
    manager: manage.allowed,
    reader: read.allowed,
    userRef: me.value,
  };
}
