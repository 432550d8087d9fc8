import { useApi } from '@backstage/core-plugin-api';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { IdentitySummary } from '@identity-governance/plugin-identity-common';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';

const at = (iso: string) => new Date(iso).toLocaleString();

/**
 * Says the index is behind the catalog, when it is: a table of users that
 * the catalog no longer backs must not read as current. Renders nothing
 * while the index is fresh.
 */
export function StaleIndexAlert(props: { summary: IdentitySummary }) {
  const { stale, indexedAt, refreshFailure } = props.summary;
  if (!stale) {
    return null;
  }
  let title: string;
  let body: string;
  if (!indexedAt) {
    title = 'The identity index has not been built yet';
    body = refreshFailure
      ? `Building it from the catalog has failed since ${at(
          refreshFailure.since,
        )}.`
      : 'It is built from the catalog shortly after the backend starts.';
  } else if (refreshFailure) {
    title = `Identity data is stale: it shows the catalog as of ${at(
      indexedAt,
    )}`;
    body = `Refreshing it from the catalog has failed since ${at(
      refreshFailure.since,
    )} (last at ${at(refreshFailure.at)}).`;
  } else {
    title = `Identity data is stale: it shows the catalog as of ${at(
      indexedAt,
    )}`;
    body =
      'No refresh has finished since, longer than identity.refresh.staleAfter allows; check that the identity-index-refresh task runs on the backend.';
  }
  return (
    <Alert severity="warning" style={{ marginBottom: 16 }}>
      <AlertTitle>{title}</AlertTitle>
      {body} Users, groups and memberships may have changed since; the
      permission policy does not decide from this page.
      {refreshFailure && (
        <div>
          <code>{refreshFailure.message}</code>
        </div>
      )}
    </Alert>
  );
}

/** {@link StaleIndexAlert} for a view that does not read the summary itself. */
export function IndexFreshness() {
  const api = useApi(identityApiRef);
  // A summary that fails to load says nothing about freshness: the view's
  // own requests show their errors.
  const { value } = useAsync(() => api.getSummary(), [api]);
  return value ? <StaleIndexAlert summary={value} /> : null;
}
