import { ReactNode } from 'react';
import { Navigate, useParams } from 'react-router-dom';

/**
 * Renders the page, unless its path names a tab the user does not have:
 * then it goes to the first tab the user has. Without it, a user without
 * `identity.read` who follows a link to `/identity/users/...` would get the
 * page's header over nothing; with it, My access.
 */
export function TabFallback(props: { tabs: string[]; children: ReactNode }) {
  const rest = useParams()['*'] ?? '';
  const first = rest.split('/')[0];
  if (first && props.tabs.length > 0 && !props.tabs.includes(first)) {
    return <Navigate to={props.tabs[0]} replace />;
  }
  return <>{props.children}</>;
}
