import { ResponseErrorPanel } from '@backstage/core-components';
import { NotAllowed } from './NotAllowed';

/**
 * An error from the identity backend. A 403 gets the same "not allowed" page
 * as a denied permission check, since the backend checks it again.
 */
export function ErrorState(props: { error: Error }) {
  if (props.error.name === 'NotAllowedError') {
    return <NotAllowed />;
  }
  return <ResponseErrorPanel error={props.error} />;
}
