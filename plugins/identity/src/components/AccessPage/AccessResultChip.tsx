import { makeStyles } from '@material-ui/core/styles';
import BlockIcon from '@material-ui/icons/Block';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import { AccessResult } from '@identity-governance/plugin-identity-common';
import { TruncatedChip } from '../shared/Truncated';

const useStyles = makeStyles(theme => ({
  allow: {
    color: theme.palette.success.main,
    borderColor: theme.palette.success.main,
  },
  deny: {
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
  conditional: {
    color: theme.palette.warning.main,
    borderColor: theme.palette.warning.main,
  },
  icon: { color: 'inherit' },
}));

/** How each result reads on the page. */
export const accessResultLabels: Record<AccessResult, string> = {
  allow: 'Allowed',
  deny: 'Denied',
  conditional: 'Conditional',
};

const icons = {
  allow: CheckCircleIcon,
  deny: BlockIcon,
  conditional: HelpOutlineIcon,
};

/**
 * A decision as an outlined chip: colour and icon from the theme, and the
 * word, so it reads without colour too.
 */
export function AccessResultChip(props: { result: AccessResult }) {
  const classes = useStyles();
  const Icon = icons[props.result];
  return (
    <TruncatedChip
      size="small"
      variant="outlined"
      label={accessResultLabels[props.result] ?? props.result}
      icon={<Icon fontSize="small" className={classes.icon} />}
      className={classes[props.result]}
    />
  );
}
