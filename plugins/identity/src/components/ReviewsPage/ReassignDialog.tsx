import { useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReviewItem } from '@identity-governance/plugin-identity-common';
import { FormEvent, useState } from 'react';
import { identityApiRef } from '../../api';
import { UserPicker } from '../AccessPage/UserPicker';
import { DialogButtons } from '../shared/DialogButtons';
import { shortRef } from '../shared/shortRef';
import { useServerAction } from '../shared/useServerAction';
import { toUserRef } from './reviewLabels';

/** Gives one item to another reviewer. */
export function ReassignDialog(props: {
  item: ReviewItem;
  onClose: () => void;
  onReassigned: (item: ReviewItem) => void;
}) {
  const { item } = props;
  const api = useApi(identityApiRef);
  const [reviewer, setReviewer] = useState('');
  const { busy, error, run } = useServerAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(async () =>
      props.onReassigned(
        await api.reassignReviewItem(
          item.campaignId,
          item.id,
          toUserRef(reviewer),
        ),
      ),
    );
  };

  return (
    <Dialog open onClose={props.onClose} aria-labelledby="reassign-title">
      <form onSubmit={submit}>
        <DialogTitle id="reassign-title">Reassign the review</DialogTitle>
        <DialogContent>
          <Typography variant="body2" paragraph>
            {item.displayName ?? shortRef(item.userRef)}:{' '}
            {shortRef(item.access)}, now with {shortRef(item.reviewer)}.
          </Typography>
          <UserPicker
            label="Reviewer"
            value={reviewer}
            onChange={setReviewer}
          />
          {error && <Alert severity="error">Could not reassign: {error}</Alert>}
        </DialogContent>
        <DialogButtons
          label="Reassign"
          busy={busy}
          onCancel={props.onClose}
          disabled={!reviewer.trim()}
        />
      </form>
    </Dialog>
  );
}
