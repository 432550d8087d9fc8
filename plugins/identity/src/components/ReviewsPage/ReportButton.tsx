import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import PrintIcon from '@material-ui/icons/Print';
import { useState } from 'react';
import { identityApiRef } from '../../api';
import { saveBlob } from '../shared/saveBlob';
import { serverMessage } from '../shared/serverMessage';

/**
 * Opens the campaign's printable report in a new window. The backend wants
 * the Backstage token, which a plain link would not send: the report is
 * fetched through fetchApi and shown from a blob URL. The window opens on
 * the click, before the fetch, since browsers block windows opened later.
 */
export function ReportButton(props: { campaignId: string }) {
  const api = useApi(identityApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);

  const onClick = async () => {
    const win = window.open('', '_blank');
    setBusy(true);
    try {
      const blob = await api.getReviewCampaignReport(props.campaignId);
      if (win) {
        // The URL stays valid while this page is open, for the window's
        // reloads and prints; it is freed when this page unloads.
        win.location.href = URL.createObjectURL(blob);
      } else {
        saveBlob(blob, `review-campaign-${props.campaignId}.html`);
      }
    } catch (e) {
      win?.close();
      alertApi.post({
        message: `The printable report failed: ${serverMessage(e as Error)}`,
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
      startIcon={<PrintIcon />}
      onClick={onClick}
      disabled={busy}
    >
      Printable report
    </Button>
  );
}
