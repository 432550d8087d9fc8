import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { catalogEntityRefreshPermission } from '@backstage/plugin-catalog-common/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import PersonAddDisabledIcon from '@material-ui/icons/PersonAddDisabled';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  IdentityOffboardResult,
  IdentityUserDetail,
  identityUserOffboardPermission,
} from '@identity-governance/plugin-identity-common';
import { useState } from 'react';
import { identityApiRef } from '../../api';
import { OffboardDialog } from './OffboardDialog';

const useStyles = makeStyles(theme => ({
  actions: { display: 'flex', gap: theme.spacing(1) },
}));

/**
 * Refresh and offboard, each shown only when the permission policy allows it
 * for this very user (resource permissions, checked with its entity ref).
 */
export function UserActions(props: {
  user: IdentityUserDetail;
  onOffboarded: (result: IdentityOffboardResult) => void;
}) {
  const classes = useStyles();
  const { user, onOffboarded } = props;
  const api = useApi(identityApiRef);
  const alertApi = useApi(alertApiRef);
  const refreshAllowed = usePermission({
    permission: catalogEntityRefreshPermission,
    resourceRef: user.entityRef,
  });
  const offboardAllowed = usePermission({
    permission: identityUserOffboardPermission,
    resourceRef: user.entityRef,
  });
  const [dialogOpen, setDialogOpen] = useState(false);
  const [refreshing, setRefreshing] = useState(false);

  const refresh = async () => {
    setRefreshing(true);
    try {
      await api.refresh({ namespace: user.namespace, name: user.name });
      alertApi.post({
        message: `Refresh of ${user.entityRef} scheduled`,
        severity: 'success',
        display: 'transient',
      });
    } catch (e) {
      alertApi.post({
        message: `Refresh failed: ${(e as Error).message}`,
        severity: 'error',
      });
    } finally {
      setRefreshing(false);
    }
  };

  if (!refreshAllowed.allowed && !offboardAllowed.allowed) return null;
  return (
    <div className={classes.actions}>
      {refreshAllowed.allowed && (
        <Button
          variant="outlined"
          startIcon={<RefreshIcon />}
          onClick={refresh}
          disabled={refreshing}
        >
          Refresh
        </Button>
      )}
      {offboardAllowed.allowed && (
        <>
          <Button
            variant="outlined"
            color="secondary"
            startIcon={<PersonAddDisabledIcon />}
            onClick={() => setDialogOpen(true)}
          >
            Offboard
          </Button>
          <OffboardDialog
            user={user}
            open={dialogOpen}
            onClose={() => setDialogOpen(false)}
            onDone={result => {
              setDialogOpen(false);
              onOffboarded(result);
            }}
          />
        </>
      )}
    </div>
  );
}
