import {
  Content,
  Header,
  Page,
  Progress,
  TabbedLayout,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { identityReadPermission } from '@identity-governance/plugin-identity-common';
import { Navigate, Route, Routes } from 'react-router-dom';
import {
  CheckAccessTab,
  MyAccessTab,
  WhoCanTab,
} from '../AccessPage/AccessTabs';
import { DryRunTab } from '../DryRunPage/DryRunTab';
import { GroupsRoutes } from '../GroupsPage/GroupsRoutes';
import { ReviewsTab } from '../ReviewsPage/ReviewsTab';
import { useReviewsTabVisible } from '../ReviewsPage/useReviewsTabVisible';
import { ErrorState } from '../shared/ErrorState';
import { UsersRoutes } from '../UsersPage/UsersRoutes';

/**
 * Users without `identity.read` and without reviews get My access and
 * nothing else: no other tab, and any other path of the page leads there.
 */
function MyAccessOnly() {
  return (
    <Routes>
      <Route
        path="/my-access"
        element={
          <Content>
            <MyAccessTab />
          </Content>
        }
      />
      <Route path="*" element={<Navigate to="my-access" replace />} />
    </Routes>
  );
}

/**
 * The whole page for the legacy frontend system, which gives a plugin page no
 * header or tabs of its own. The new system builds both from the page and
 * sub-page extensions in `alpha`.
 */
export function IdentityPage() {
  const { loading, allowed, error } = usePermission({
    permission: identityReadPermission,
  });
  const reviews = useReviewsTabVisible();
  const reviewsTab = (
    <TabbedLayout.Route path="/reviews" title="Reviews">
      <ReviewsTab />
    </TabbedLayout.Route>
  );
  let body;
  if (loading || reviews.loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <Content>
        <ErrorState error={error} />
      </Content>
    );
  } else if (!allowed && !reviews.visible) {
    body = <MyAccessOnly />;
  } else if (!allowed) {
    // A reviewer without identity.read: their reviews, nothing else.
    body = (
      <TabbedLayout>
        <TabbedLayout.Route path="/my-access" title="My access">
          <MyAccessTab />
        </TabbedLayout.Route>
        {reviewsTab}
      </TabbedLayout>
    );
  } else {
    body = (
      <TabbedLayout>
        <TabbedLayout.Route path="/users" title="Users">
          <UsersRoutes />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/groups" title="Groups">
          <GroupsRoutes />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/my-access" title="My access">
          <MyAccessTab />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/who-can" title="Who can">
          <WhoCanTab />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/check-access" title="Check access">
          <CheckAccessTab />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/dry-run" title="Policy dry-run">
          <DryRunTab />
        </TabbedLayout.Route>
        {reviews.visible && reviewsTab}
      </TabbedLayout>
    );
  }
  return (
    <Page themeId="tool">
      <Header
        title="Identity"
        subtitle="Users, groups, memberships, who may do what, and where each record comes from"
      />
      {body}
    </Page>
  );
}
