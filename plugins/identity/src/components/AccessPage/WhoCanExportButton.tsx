import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import { identityApiRef } from '../../api';
import { saveBlob } from '../shared/saveBlob';

/**
 * Downloads everyone allowed the permission as CSV: the whole list, for an
 * access review, whatever the search shows of it.
 */
export function WhoCanExportButton(props: { permission: string }) {
  const api = useApi(identityApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);

  const onClick = async () => {
    setBusy(true);
    try {
      const blob = await api.exportWhoCanCsv(props.permission);
      const date = new Date().toISOString().slice(0, 10);
      saveBlob(blob, `who-can-${props.permission}-${date}.csv`);
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
