import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import { identityApiRef, IdentityUsersQuery } from '../../api';
import { saveBlob } from '../shared/saveBlob';

/**
 * Downloads the access review for the current filters. A plain link would
 * not do: the backend needs the Backstage token, which only fetchApi adds.
 */
export function ExportCsvButton(props: { query: IdentityUsersQuery }) {
  const api = useApi(identityApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);

  const onClick = async () => {
    setBusy(true);
    try {
      const blob = await api.exportCsv(props.query);
      const date = new Date().toISOString().slice(0, 10);
      saveBlob(blob, `identity-users-${date}.csv`);
    } catch (e) {
      alertApi.post({
        message: `CSV export failed: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button
      variant="outlined"
      color="primary"
      startIcon={<GetAppIcon />}
      onClick={onClick}
      disabled={busy}
    >
      Export CSV
    </Button>
  );
}
