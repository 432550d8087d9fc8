import { makeStyles } from '@material-ui/core/styles';
import { IdentityStatusFlag } from '@identity-governance/plugin-identity-common';
import { statusFlagLabels } from './labels';
import { TruncatedChip } from './Truncated';

const useStyles = makeStyles(theme => ({
  chip: {
    marginRight: theme.spacing(0.5),
    marginBottom: theme.spacing(0.5),
  },
  error: {
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
  warning: {
    color: theme.palette.warning.main,
    borderColor: theme.palette.warning.main,
  },
}));

/** Flags that point at a broken record rather than one to look at. */
const severe = new Set<IdentityStatusFlag>(['orphaned', 'processingErrors']);

/**
 * A user's status flags as small outlined chips, coloured from the theme. A
 * label never wraps: one too long for its place is cut, with a tooltip.
 */
export function StatusFlagChips(props: {
  flags: IdentityStatusFlag[];
  /** A cap on each label's width (see TruncatedChip). */
  maxWidth?: number | string;
}) {
  const classes = useStyles();
  return (
    <>
      {props.flags.map(flag => (
        <TruncatedChip
          key={flag}
          size="small"
          variant="outlined"
          label={statusFlagLabels[flag] ?? flag}
          maxWidth={props.maxWidth}
          className={`${classes.chip} ${
            severe.has(flag) ? classes.error : classes.warning
          }`}
        />
      ))}
    </>
  );
}
