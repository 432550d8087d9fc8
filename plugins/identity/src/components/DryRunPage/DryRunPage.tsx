import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  DryRunPermissionChange,
  DryRunResponse,
  DryRunUserChange,
} from '@identity-governance/plugin-identity-common';
import { FormEvent, useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { identityApiRef } from '../../api';
import { DecidedBy } from '../AccessPage/DecidedBy';
import { ErrorState } from '../shared/ErrorState';
import { MembershipPath } from '../shared/MembershipPath';
import { serverMessage } from '../shared/serverMessage';
import { useIdentityLinks } from '../shared/useIdentityLinks';
import { exampleProposal } from './exampleProposal';

const useStyles = makeStyles(theme => ({
  yaml: {
    '& textarea': {
      fontFamily: 'monospace',
      fontSize: theme.typography.body2.fontSize,
    },
  },
  error: {
    whiteSpace: 'pre-wrap',
    fontFamily: 'monospace',
    margin: 0,
  },
  counts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  gain: {
    color: theme.palette.success.main,
    borderColor: theme.palette.success.main,
  },
  loss: {
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
  list: { margin: 0, paddingLeft: theme.spacing(2) },
}));

function UserChanges(props: {
  label: string;
  users: DryRunUserChange[];
  count: number;
}) {
  const classes = useStyles();
  const links = useIdentityLinks();
  if (props.count === 0) return null;
  return (
    <Box mt={1}>
      <Typography variant="subtitle2">{props.label}</Typography>
      <ul className={classes.list} aria-label={props.label}>
        {props.users.map(u => (
          <li key={u.userRef}>
            <Typography variant="body2" component="span">
              <Link to={links.user(u.userRef)}>{u.name}</Link>
              {u.displayName ? ` (${u.displayName})` : ''}:{' '}
              <DecidedBy decidedBy={u.decidedBy} />
              {u.path.length > 0 && (
                <>
                  {' '}
                  — <MembershipPath path={u.path} />
                </>
              )}
            </Typography>
          </li>
        ))}
      </ul>
      {props.count > props.users.length && (
        <Typography variant="caption" color="textSecondary">
          and {props.count - props.users.length} more
        </Typography>
      )}
    </Box>
  );
}

function guardChange(change: DryRunPermissionChange): string | undefined {
  if (change.guardedNow && !change.guardedProposed) {
    return 'No longer guarded: the default decision would apply.';
  }
  if (!change.guardedNow && change.guardedProposed) {
    return 'Newly guarded.';
  }
  return undefined;
}

function PermissionChange(props: { change: DryRunPermissionChange }) {
  const classes = useStyles();
  const { change } = props;
  const guard = guardChange(change);
  const conditionalChanged =
    JSON.stringify(change.conditionalNow ?? []) !==
    JSON.stringify(change.conditionalProposed ?? []);
  return (
    <InfoCard title={change.permission}>
      <section aria-label={`Changes to ${change.permission}`}>
        <div className={classes.counts}>
          <Chip
            size="small"
            variant="outlined"
            className={change.gainCount > 0 ? classes.gain : undefined}
            label={`${change.gainCount} would gain`}
          />
          <Chip
            size="small"
            variant="outlined"
            className={change.lossCount > 0 ? classes.loss : undefined}
            label={`${change.lossCount} would lose`}
          />
        </div>
        {guard && <Typography variant="body2">{guard}</Typography>}
        {conditionalChanged && (
          <Typography variant="body2">
            Owner grants now:{' '}
            {(change.conditionalNow ?? []).map(c => c.description).join('; ') ||
              'none'}
            ; proposed:{' '}
            {(change.conditionalProposed ?? [])
              .map(c => c.description)
              .join('; ') || 'none'}
            .
          </Typography>
        )}
        <UserChanges
          label="Would gain"
          users={change.gains}
          count={change.gainCount}
        />
        <UserChanges
          label="Would lose"
          users={change.losses}
          count={change.lossCount}
        />
      </section>
    </InfoCard>
  );
}

function hasChange(change: DryRunPermissionChange): boolean {
  return (
    change.gainCount > 0 ||
    change.lossCount > 0 ||
    change.guardedNow !== change.guardedProposed ||
    JSON.stringify(change.conditionalNow ?? []) !==
      JSON.stringify(change.conditionalProposed ?? [])
  );
}

/** What a proposal would change, permission by permission. */
export function DryRunResults(props: { result: DryRunResponse }) {
  const { permissions, notSimulated } = props.result;
  const changed = permissions.filter(hasChange);
  const unchanged = permissions.filter(p => !hasChange(p));
  return (
    <section aria-label="Dry-run results">
      {notSimulated.length > 0 && (
        <Box mb={2}>
          <Alert severity="info">
            Not simulated (the dry-run uses the live membership engine):{' '}
            {notSimulated.map((key, i) => (
              <span key={key}>
                {i > 0 && ', '}
                <code>{key}</code>
              </span>
            ))}
          </Alert>
        </Box>
      )}
      {changed.length === 0 && (
        <Typography>
          Nobody would gain or lose any guarded permission.
        </Typography>
      )}
      <Grid container spacing={2}>
        {changed.map(change => (
          <Grid item xs={12} lg={6} key={change.permission}>
            <PermissionChange change={change} />
          </Grid>
        ))}
      </Grid>
      {unchanged.length > 0 && (
        <Box mt={2}>
          <Typography variant="body2" color="textSecondary">
            No change: {unchanged.map(p => p.permission).join(', ')}
          </Typography>
        </Box>
      )}
    </section>
  );
}

/**
 * Policy dry-run: a proposed `identityPolicy` block, checked by the
 * policy's own code against the live organisation; who would gain or lose
 * each guarded permission. Nothing is saved.
 */
export function DryRunPage() {
  const classes = useStyles();
  const api = useApi(identityApiRef);
  const permissions = useAsync(() => api.getGuardedPermissions(), [api]);
  const [yaml, setYaml] = useState<string>();
  useEffect(() => {
    if (permissions.value && yaml === undefined) {
      setYaml(exampleProposal(permissions.value));
    }
  }, [permissions.value, yaml]);
  const [run, doRun] = useAsyncFn(
    (text: string) => api.dryRun({ yaml: text }),
    [api],
  );

  if (permissions.error) return <ErrorState error={permissions.error} />;
  if (yaml === undefined) return <Progress />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    doRun(yaml);
  };

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Policy dry-run">
          <form onSubmit={onSubmit} aria-label="Policy dry-run">
            <TextField
              id="identity-dry-run-yaml"
              label="Proposed identityPolicy (YAML)"
              multiline
              minRows={12}
              fullWidth
              variant="outlined"
              value={yaml}
              onChange={e => setYaml(e.target.value)}
              className={classes.yaml}
              inputProps={{ spellCheck: false }}
            />
            <Box mt={2}>
              <Button
                type="submit"
                variant="contained"
                color="primary"
                disabled={run.loading || !yaml.trim()}
              >
                Run
              </Button>
            </Box>
          </form>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        {run.loading && <Progress />}
        {!run.loading && run.error && (
          <Alert severity="error" role="alert">
            <Typography variant="subtitle2">
              The proposal was not run
            </Typography>
            <pre className={classes.error}>{serverMessage(run.error)}</pre>
          </Alert>
        )}
        {!run.loading && run.value && <DryRunResults result={run.value} />}
      </Grid>
    </Grid>
  );
}
