import { ResponseErrorPanel } from '@backstage/core-components';
import { useEffect } from 'react';
import { NotAllowed } from './NotAllowed';
import { useReportNotAllowed } from './notAllowedContext';

/**
 * An error from the identity backend. A 403 gets the same "not allowed" page
 * as a denied permission check, since the backend checks it again: inside an
 * `IdentityReadGate` the gate shows it in place of the whole page, once,
 * however many reads were refused.
 */
export function ErrorState(props: { error: Error }) {
  // IdentityClient throws ResponseError, which names the backend's error in
  // its cause.
  const notAllowed =
    props.error.name === 'NotAllowedError' ||
    (props.error as { cause?: { name?: string } }).cause?.name ===
      'NotAllowedError';
  const reportNotAllowed = useReportNotAllowed();
  useEffect(() => {
    if (notAllowed) reportNotAllowed?.();
  }, [notAllowed, reportNotAllowed]);
  if (notAllowed) {
    return reportNotAllowed ? null : <NotAllowed />;
  }
  return <ResponseErrorPanel error={props.error} />;
}
