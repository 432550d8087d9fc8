import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import ButtonBase from '@material-ui/core/ButtonBase';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Skeleton from '@material-ui/lab/Skeleton';
import {
  IdentitySource,
  identitySources,
  identityStatusFlags,
  IdentitySummary,
} from '@identity-governance/plugin-identity-common';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { ErrorState } from '../shared/ErrorState';
import { sourceLabels, statusFlagLabels } from '../shared/labels';
import { UsersQueryState } from './usersQueryState';
import { StaleIndexAlert } from '../shared/StaleIndexAlert';

const useStyles = makeStyles(theme => ({
  strip: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  group: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    alignItems: 'stretch',
  },
  tile: {
    minWidth: 120,
    border: `1px solid ${theme.palette.divider}`,
  },
  active: {
    border: `1px solid ${theme.palette.primary.main}`,
    boxShadow: `inset 0 0 0 1px ${theme.palette.primary.main}`,
  },
  attention: {
    color: theme.palette.warning.main,
  },
  button: {
    display: 'block',
    width: '100%',
    textAlign: 'left',
    padding: theme.spacing(1, 2),
  },
}));

function Tile(props: {
  label: string;
  value: number;
  active: boolean;
  attention?: boolean;
  onClick: () => void;
}) {
  const classes = useStyles();
  return (
    <Paper
      elevation={0}
      className={`${classes.tile} ${props.active ? classes.active : ''}`}
    >
      <ButtonBase
        className={classes.button}
        onClick={props.onClick}
        aria-pressed={props.active}
        aria-label={`${props.label}: ${props.value}`}
      >
        <Typography
          variant="h5"
          component="div"
          className={
            props.attention && props.value > 0 ? classes.attention : undefined
          }
        >
          {props.value}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {props.label}
        </Typography>
      </ButtonBase>
    </Paper>
  );
}

/**
 * Totals per source and per status flag. Each tile is a click-through: it
 * replaces that part of the table's filter (a second click clears it), so
 * "Orphaned: 3" always leads to exactly those three users.
 */
export function SummaryStrip(props: {
  state: UsersQueryState;
  onChange: (change: Partial<UsersQueryState>) => void;
}) {
  const classes = useStyles();
  const api = useApi(identityApiRef);
  const { value, loading, error } = useAsync(() => api.getSummary(), [api]);
  const { state, onChange } = props;

  if (error) return <ErrorState error={error} />;
  if (loading || !value) {
    return <Skeleton variant="rect" height={72} className={classes.strip} />;
  }
  const summary: IdentitySummary = value;
  const noFilter = !state.source && state.status.length === 0 && !state.group;
  const sources = identitySources.filter(
    (s: IdentitySource) => (summary.bySource[s] ?? 0) > 0,
  );

  return (
    <>
      <StaleIndexAlert summary={summary} />
      <Box className={classes.strip} aria-label="Summary" role="region">
        <div className={classes.group}>
          <Tile
            label="Users"
            value={summary.totalUsers}
            active={noFilter}
            onClick={() =>
              onChange({ source: undefined, status: [], group: undefined })
            }
          />
          {sources.map(source => (
            <Tile
              key={source}
              label={sourceLabels[source]}
              value={summary.bySource[source]}
              active={state.source === source}
              onClick={() =>
                onChange({
                  source: state.source === source ? undefined : source,
                })
              }
            />
          ))}
        </div>
        <div className={classes.group}>
          {identityStatusFlags.map(flag => {
            const active =
              state.status.length === 1 && state.status[0] === flag;
            return (
              <Tile
                key={flag}
                label={statusFlagLabels[flag]}
                value={summary.byStatus[flag] ?? 0}
                active={active}
                attention
                onClick={() => onChange({ status: active ? [] : [flag] })}
              />
            );
          })}
        </div>
      </Box>
    </>
  );
}
