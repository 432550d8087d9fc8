import { useApi } from '@backstage/core-plugin-api';
import PrintIcon from '@material-ui/icons/Print';
import { identityApiRef } from '../../api';
import { ActionButton } from '../shared/ActionButton';
import { saveBlob } from '../shared/saveBlob';

/**
 * Opens the campaign's printable report in a new window. The backend wants
 * the Backstage token, which a plain link would not send: the report is
 * fetched through fetchApi and shown from a blob URL. The window opens on
 * the click, before the fetch, since browsers block windows opened later.
 */
export function ReportButton(props: { campaignId: string }) {
  const api = useApi(identityApiRef);
  const action = async () => {
    const win = window.open('', '_blank');
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
      throw e;
    }
  };
  return (
    <ActionButton
      label="Printable report"
      icon={<PrintIcon />}
      action={action}
    />
  );
}
