import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  IdentityOffboardResult,
  IdentityUserDetail,
} from '@identity-governance/plugin-identity-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { DialogButtons } from '../shared/DialogButtons';
import { shortRef } from '../shared/shortRef';

/**
 * Asks before offboarding, and tells the truth first: the backend's preview
 * says whether the record will come back at the next refresh (and from
 * which location) or whether SCIM owns it and the deactivation sticks.
 */
export function OffboardDialog(props: {
  user: IdentityUserDetail;
  open: boolean;
  onClose: () => void;
  onDone: (result: IdentityOffboardResult) => void;
}) {
  const { user, open, onClose, onDone } = props;
  const api = useApi(identityApiRef);
  const entity = { namespace: user.namespace, name: user.name };
  const preview = useAsync(
    async () => (open ? api.previewOffboard(entity) : undefined),
    [api, open, user.namespace, user.name],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onDone(await api.offboard(entity));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const p = preview.value;
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="offboard-title">
      <DialogTitle id="offboard-title">
        Offboard {user.displayName ?? shortRef(user.entityRef)}?
      </DialogTitle>
      <DialogContent>
        {preview.loading && <Progress />}
        {preview.error && (
          <Alert severity="error">
            Could not preview the offboarding: {preview.error.message}
          </Alert>
        )}
        {p && (
          <>
            <Alert
              severity={p.willReturn || !p.supported ? 'warning' : 'info'}
              data-testid="offboard-preview"
            >
              {p.message}
            </Alert>
            <Box mt={2} />
            <Typography variant="body2">
              {p.action === 'scimDeactivate'
                ? 'The SCIM plugin owns this record: it will be deactivated and stay gone.'
                : 'The entity will be deleted from the catalog.'}
            </Typography>
            {p.willReturn && (
              <Typography variant="body2">
                It will come back at the next refresh from{' '}
                <code>
                  {p.originLocation ?? p.managedByLocation ?? 'its source'}
                </code>{' '}
                unless it is removed there too.
              </Typography>
            )}
          </>
        )}
        {error && (
          <Alert severity="error">Offboarding failed: {error.message}</Alert>
        )}
      </DialogContent>
      <DialogButtons
        label={p?.action === 'scimDeactivate' ? 'Deactivate' : 'Delete'}
        color="secondary"
        busy={busy}
        onCancel={onClose}
        onConfirm={confirm}
        disabled={!p || !p.supported}
      />
    </Dialog>
  );
}
