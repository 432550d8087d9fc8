import { useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField, { TextFieldProps } from '@material-ui/core/TextField';
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
import { DialogButtons } from '../shared/DialogButtons';
import { useServerAction } from '../shared/useServerAction';
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

const scopeOptions: Array<[ScopeType, string]> = [
  ['permission', 'Everyone allowed a permission'],
  ['groups', 'Members of groups, direct or nested'],
  ['privileged', 'Every privileged user (any guarded permission)'],
];

/** An outlined text field named by its label, for tests and screen readers. */
function Field(props: TextFieldProps & { label: string }) {
  return (
    <TextField
      variant="outlined"
      size="small"
      {...props}
      inputProps={{ 'aria-label': props.label, ...props.inputProps }}
    />
  );
}

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
  const { busy, error, run } = useServerAction();

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

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const defaultReviewers = parseUserRefs(reviewers);
    run(async () =>
      props.onStarted(
        await api.createReviewCampaign({
          name: name.trim(),
          scope: scope(),
          dueAt,
          ...(defaultReviewers.length ? { defaultReviewers } : {}),
        }),
      ),
    );
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
          <Field
            label="Name"
            required
            value={name}
            onChange={e => setName(e.target.value)}
            inputProps={{ maxLength: 200 }}
          />
          <div>
            <FormLabel component="legend">Who it covers</FormLabel>
            <RadioGroup
              aria-label="Scope"
              value={type}
              onChange={e => setType(e.target.value as ScopeType)}
            >
              {scopeOptions.map(([value, label]) => (
                <FormControlLabel
                  key={value}
                  value={value}
                  control={<Radio size="small" />}
                  label={label}
                />
              ))}
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
          <Field
            label="Due"
            type="date"
            required
            value={dueAt}
            onChange={e => setDueAt(e.target.value)}
            InputLabelProps={{ shrink: true }}
          />
          <Field
            label="Default reviewers"
            placeholder="sam.sre, user:default/nina.nested"
            helperText="For items whose group names no reviewers (identity-governance.io/reviewers); else the review managers."
            value={reviewers}
            onChange={e => setReviewers(e.target.value)}
          />
          {error && (
            <Alert severity="error" role="alert">
              Could not start the campaign: {error}
            </Alert>
          )}
        </DialogContent>
        <DialogButtons
          label="Start"
          busy={busy}
          onCancel={props.onClose}
          disabled={
            !name.trim() ||
            (type === 'permission' && !permission) ||
            (type === 'groups' && !groups.length)
          }
        />
      </form>
    </Dialog>
  );
}
