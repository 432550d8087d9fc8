import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { identityReviewManagePermission } from '@identity-governance/plugin-identity-common';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';

/**
 * Whether the legacy page shows the Reviews tab: to review managers, and to
 * anyone with a campaign of theirs (the backend lists only those for
 * non-managers). A failed list hides the tab rather than the page.
 */
export function useReviewsTabVisible(): { loading: boolean; visible: boolean } {
  const api = useApi(identityApiRef);
  const manage = usePermission({ permission: identityReviewManagePermission });
  const asReviewer = !manage.loading && !manage.allowed;
  const campaigns = useAsync(
    async () =>
      asReviewer ? (await api.getReviewCampaigns()).items.length > 0 : false,
    [api, asReviewer],
  );
  return {
    loading: manage.loading || campaigns.loading,
    visible: manage.allowed || campaigns.value === true,
  };
}
