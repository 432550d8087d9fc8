import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { makeStyles } from '@material-ui/core/styles';
import {
  AccessExplanation,
  CheckAccessRequest,
} from '@identity-governance/plugin-identity-common';
import { FormEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { identityApiRef } from '../../api';
import { ErrorState } from '../shared/ErrorState';
import { serverMessage } from '../shared/serverMessage';
import { AccessPath } from './AccessPath';
import { AccessResultChip } from './AccessResultChip';
import { AccessWhy } from './AccessWhy';
import { PermissionSelect } from './PermissionSelect';
import { UserPicker } from './UserPicker';
import { WhatGrants } from './WhatGrants';

const useStyles = makeStyles(theme => ({
  form: {
    display: 'grid',
    gap: theme.spacing(2),
    maxWidth: theme.spacing(70),
  },
  decision: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
}));

/** The decision of one check and why. */
export function CheckResult(props: { explanation: AccessExplanation }) {
  const classes = useStyles();
  const { explanation } = props;
  return (
    <InfoCard title="Decision">
      <section aria-label="Decision">
        <div className={classes.decision}>
          <AccessResultChip result={explanation.result} />
          <Typography variant="body2">
            <code>{explanation.permission}</code>
            {explanation.resourceRef && (
              <>
                {' '}
                on <code>{explanation.resourceRef}</code>
              </>
            )}
          </Typography>
        </div>
        <AccessWhy explanation={explanation} />
        {explanation.path && explanation.path.length > 0 && (
          <Box mt={2}>
            <Typography variant="subtitle2">Membership path</Typography>
            <AccessPath path={explanation.path} />
          </Box>
        )}
      </section>
    </InfoCard>
  );
}

/**
 * Check access: may this user do this, on this entity? The identity policy
 * answers with its own decision code and says why.
 */
export function CheckAccessPage() {
  const classes = useStyles();
  const api = useApi(identityApiRef);
  const permissions = useAsync(() => api.getGuardedPermissions(), [api]);
  const [user, setUser] = useState('');
  const [permission, setPermission] = useState('');
  const [resourceRef, setResourceRef] = useState('');
  const [check, runCheck] = useAsyncFn(
    (request: CheckAccessRequest) => api.checkAccess(request),
    [api],
  );

  if (permissions.error) return <ErrorState error={permissions.error} />;
  if (!permissions.value) return <Progress />;
  const chosen = permission || permissions.value[0]?.name || '';
  const info = permissions.value.find(p => p.name === chosen);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    runCheck({
      userEntityRef: user.trim(),
      permission: chosen,
      ...(resourceRef.trim() ? { resourceRef: resourceRef.trim() } : {}),
    });
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Check access">
          <form
            className={classes.form}
            onSubmit={onSubmit}
            aria-label="Check access"
          >
            <UserPicker value={user} onChange={setUser} />
            <PermissionSelect
              permissions={permissions.value}
              value={chosen}
              onChange={setPermission}
              required
            />
            <WhatGrants info={info} />
            <TextField
              id="identity-check-access-entity"
              label="Entity (optional)"
              placeholder="component:default/my-service"
              helperText={
                info?.resourceType
                  ? `For a ${info.resourceType} permission: the entity the question is about`
                  : 'Only resource permissions use it'
              }
              variant="outlined"
              size="small"
              value={resourceRef}
              onChange={e => setResourceRef(e.target.value)}
            />
            <div>
              <Button
                type="submit"
                variant="contained"
                color="primary"
                disabled={!user.trim() || !chosen || check.loading}
              >
                Check
              </Button>
            </div>
          </form>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        {check.loading && <Progress />}
        {!check.loading && check.error && (
          <Alert severity="error" role="alert">
            {serverMessage(check.error)}
          </Alert>
        )}
        {!check.loading && check.value && (
          <CheckResult explanation={check.value} />
        )}
      </Grid>
    </Grid>
  );
}
