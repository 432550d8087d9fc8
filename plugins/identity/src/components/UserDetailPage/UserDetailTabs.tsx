import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { Link as RouterLink } from 'react-router-dom';
import { useIdentityLinks } from '../shared/useIdentityLinks';

/** The user detail's tabs; which one is open is in the URL. */
export type UserDetailTab = 'overview' | 'access';

/** `access` for `/users/:namespace/:name/access`, otherwise the overview. */
export function userDetailTab(rest: string | undefined): UserDetailTab {
  return rest?.replace(/\/$/, '') === 'access' ? 'access' : 'overview';
}

/**
 * The overview (memberships and provenance) or the user's access: two views
 * of one user, each with its own link.
 */
export function UserDetailTabs(props: {
  userRef: string;
  value: UserDetailTab;
}) {
  const links = useIdentityLinks();
  const base = links.user(props.userRef);
  return (
    <Tabs
      value={props.value}
      indicatorColor="primary"
      textColor="primary"
      aria-label="User views"
    >
      <Tab value="overview" label="Overview" component={RouterLink} to={base} />
      <Tab
        value="access"
        label="Access"
        component={RouterLink}
        to={`${base}/access`}
      />
    </Tabs>
  );
}
