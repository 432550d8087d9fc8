import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import { saveBlob } from './saveBlob';

/**
 * Downloads what `download` fetches as `fileName`. A plain link would not
 * do: the backend needs the Backstage token, which only fetchApi adds.
 */
export function DownloadButton(props: {
  download: () => Promise<Blob>;
  fileName: string;
  label?: string;
}) {
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);
  const label = props.label ?? 'Export CSV';

  const onClick = async () => {
    setBusy(true);
    try {
      saveBlob(await props.download(), props.fileName);
    } catch (e) {
      alertApi.post({
        message: `${label} failed: ${(e as Error).message}`,
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
      {label}
    </Button>
  );
}

/** Today's date for file names, `2026-12-04`. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
