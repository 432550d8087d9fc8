import { useApi } from '@backstage/core-plugin-api';
import { identityApiRef } from '../../api';
import { DownloadButton, today } from '../shared/DownloadButton';

/**
 * Downloads everyone allowed the permission as CSV: the whole list, for an
 * access review, whatever the search shows of it.
 */
export function WhoCanExportButton(props: { permission: string }) {
  const api = useApi(identityApiRef);
  return (
    <DownloadButton
      download={() => api.exportWhoCanCsv(props.permission)}
      fileName={`who-can-${props.permission}-${today()}.csv`}
    />
  );
}
