import { useApi } from '@backstage/core-plugin-api';
import { identityApiRef, IdentityUsersQuery } from '../../api';
import { DownloadButton, today } from '../shared/DownloadButton';

/** Downloads the access review for the current filters. */
export function ExportCsvButton(props: { query: IdentityUsersQuery }) {
  const api = useApi(identityApiRef);
  return (
    <DownloadButton
      download={() => api.exportCsv(props.query)}
      fileName={`identity-users-${today()}.csv`}
    />
  );
}
