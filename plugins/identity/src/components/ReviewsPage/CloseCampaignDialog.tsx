import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReviewCampaign } from '@identity-governance/plugin-identity-common';
import { useState } from 'react';
import { identityApiRef } from '../../api';
import { serverMessage } from '../shared/serverMessage';

/** Asks before closing: a closed campaign takes no more decisions. */
export function CloseCampaignDialog(props: {
  campaign: ReviewCampaign;
  open: boolean;
  onClose: () => void;
  onClosed: (campaign: ReviewCampaign) => void;
}) {
  const { campaign } = props;
  const api = useApi(identityApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const undecided = campaign.itemCount - campaign.decidedCount;

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.onClosed(await api.closeReviewCampaign(campaign.id));
    } catch (e) {
      setError(serverMessage(e as Error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby="close-campaign-title"
    >
      <DialogTitle id="close-campaign-title">
        Close {campaign.name}?
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2">
          Nobody can decide or reassign items of a closed campaign; its
          decisions stay as evidence.
          {undecided > 0 &&
            ` ${undecided} of ${campaign.itemCount} items are still undecided and will stay so.`}
        </Typography>
        {error && (
          <Alert severity="error">Could not close the campaign: {error}</Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={confirm}
          disabled={busy}
        >
          Close campaign
        </Button>
      </DialogActions>
    </Dialog>
  );
}
