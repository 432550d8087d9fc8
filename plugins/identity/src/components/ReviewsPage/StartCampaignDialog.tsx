import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  ReviewCampaign,
  ReviewScope,
} from '@identity-governance/plugin-identity-common';
import { FormEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { PermissionSelect } from '../AccessPage/PermissionSelect';
import { serverMessage } from '../shared/serverMessage';
import { flattenGroups } from '../UsersPage/flattenGroups';
import { day, parseUserRefs } from './reviewLabels';

const useStyles = makeStyles(theme => ({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    minWidth: 480,
  },
}));

/** Two weeks from now: a campaign's usual time. */
const DEFAULT_DAYS = 14;

type ScopeType = ReviewScope['type'];

/**
 * Starts a campaign: a name, who it covers, when it is due and, for
 * groups that name no reviewers, who reviews. The backend's reason for
 * refusing (a scope that covers nobody, a past date) shows in the dialog.
 */
export function StartCampaignDialog(props: {
  open: boolean;
  onClose: () => void;
  onStarted: (campaign: ReviewCampaign) => void;
}) {
  const classes = useStyles();
  const api = useApi(identityApiRef);
  const [name, setName] = useState('');
  const [type, setType] = useState<ScopeType>('permission');
  const [permission, setPermission] = useState('');
  const [groups, setGroups] = useState<string[]>([]);
  const [dueAt, setDueAt] = useState(() =>
    day(new Date(Date.now() + DEFAULT_DAYS * 86_400_000).toISOString()),
  );
  const [reviewers, setReviewers] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const permissions = useAsync(
    async () => (props.open ? api.getGuardedPermissions() : []),
    [api, props.open],
  );
  // Suggestions only: groups can be typed as refs too.
  const groupOptions = useAsync(
    async () =>
      props.open && type === 'groups'
        ? flattenGroups((await api.getGroups()).roots).map(g => g.entityRef)
        : [],
    [api, props.open, type],
  );

  const scope = (): ReviewScope => {
    if (type === 'permission') return { type, permission };
    if (type === 'groups') return { type, groups };
    return { type };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const defaultReviewers = parseUserRefs(reviewers);
      props.onStarted(
        await api.createReviewCampaign({
          name: name.trim(),
          scope: scope(),
          dueAt,
          ...(defaultReviewers.length ? { defaultReviewers } : {}),
        }),
      );
    } catch (err) {
      setError(serverMessage(err as Error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      aria-labelledby="start-campaign-title"
    >
      <form onSubmit={submit}>
        <DialogTitle id="start-campaign-title">
          Start an access review
        </DialogTitle>
        <DialogContent className={classes.form}>
          <TextField
            label="Name"
            variant="outlined"
            size="small"
            required
            value={name}
            onChange={e => setName(e.target.value)}
            inputProps={{ 'aria-label': 'Name', maxLength: 200 }}
          />
          <div>
            <FormLabel component="legend">Who it covers</FormLabel>
            <RadioGroup
              aria-label="Scope"
              value={type}
              onChange={e => setType(e.target.value as ScopeType)}
            >
              <FormControlLabel
                value="permission"
                control={<Radio size="small" />}
                label="Everyone allowed a permission"
              />
              <FormControlLabel
                value="groups"
                control={<Radio size="small" />}
                label="Members of groups, direct or nested"
              />
              <FormControlLabel
                value="privileged"
                control={<Radio size="small" />}
                label="Every privileged user (any guarded permission)"
              />
            </RadioGroup>
          </div>
          {type === 'permission' && permissions.error && (
            <Alert severity="error">
              Could not list the permissions: {permissions.error.message}
            </Alert>
          )}
          {type === 'permission' && (
            <PermissionSelect
              permissions={permissions.value ?? []}
              value={permission}
              onChange={setPermission}
              required
            />
          )}
          {type === 'groups' && (
            <Autocomplete<string, true, false, true>
              multiple
              freeSolo
              // A typed ref counts when the field loses focus, Enter or not.
              autoSelect
              options={groupOptions.value ?? []}
              value={groups}
              onChange={(_, value) => setGroups(value)}
              renderInput={params => (
                <TextField
                  {...params}
                  label="Groups"
                  placeholder="group:default/sre"
                  variant="outlined"
                  size="small"
                  inputProps={{ ...params.inputProps, 'aria-label': 'Groups' }}
                />
              )}
            />
          )}
          <TextField
            label="Due"
            type="date"
            variant="outlined"
            size="small"
            required
            value={dueAt}
            onChange={e => setDueAt(e.target.value)}
            InputLabelProps={{ shrink: true }}
            inputProps={{ 'aria-label': 'Due' }}
          />
          <TextField
            label="Default reviewers"
            placeholder="sam.sre, user:default/nina.nested"
            helperText="For items whose group names no reviewers (identity-governance.io/reviewers); else the review managers."
            variant="outlined"
            size="small"
            value={reviewers}
            onChange={e => setReviewers(e.target.value)}
            inputProps={{ 'aria-label': 'Default reviewers' }}
          />
          {error && (
            <Alert severity="error" role="alert">
              Could not start the campaign: {error}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={
              busy ||
              !name.trim() ||
              (type === 'permission' && !permission) ||
              (type === 'groups' && !groups.length)
            }
          >
            Start
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
