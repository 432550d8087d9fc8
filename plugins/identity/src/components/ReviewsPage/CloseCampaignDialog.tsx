import { useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReviewCampaign } from '@identity-governance/plugin-identity-common';
import { identityApiRef } from '../../api';
import { DialogButtons } from '../shared/DialogButtons';
import { useServerAction } from '../shared/useServerAction';

/** Asks before closing: a closed campaign takes no more decisions. */
export function CloseCampaignDialog(props: {
  campaign: ReviewCampaign;
  onClose: () => void;
  onClosed: (campaign: ReviewCampaign) => void;
}) {
  const { campaign } = props;
  const api = useApi(identityApiRef);
  const { busy, error, run } = useServerAction();
  const undecided = campaign.itemCount - campaign.decidedCount;

  return (
    <Dialog open onClose={props.onClose} aria-labelledby="close-campaign-title">
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
      <DialogButtons
        label="Close campaign"
        color="secondary"
        busy={busy}
        onCancel={props.onClose}
        onConfirm={() =>
          run(async () =>
            props.onClosed(await api.closeReviewCampaign(campaign.id)),
          )
        }
      />
    </Dialog>
  );
}
