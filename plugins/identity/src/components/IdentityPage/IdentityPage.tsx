import { Header, Page, TabbedLayout } from '@backstage/core-components';
import { GroupsRoutes } from '../GroupsPage/GroupsRoutes';
import { UsersRoutes } from '../UsersPage/UsersRoutes';

/**
 * The whole page for the legacy frontend system, which gives a plugin page no
 * header or tabs of its own. The new system builds both from the page and
 * sub-page extensions in `alpha`.
 */
export function IdentityPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Identity"
        subtitle="Users, groups, memberships and where each record comes from"
      />
      <TabbedLayout>
        <TabbedLayout.Route path="/users" title="Users">
          <UsersRoutes />
        </TabbedLayout.Route>
        <TabbedLayout.Route path="/groups" title="Groups">
          <GroupsRoutes />
        </TabbedLayout.Route>
      </TabbedLayout>
    </Page>
  );
}
