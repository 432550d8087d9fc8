import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  root: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  bar: { flexGrow: 1, minWidth: 60, height: 6, borderRadius: 3 },
  text: { whiteSpace: 'nowrap' },
}));

/** `3 of 8 decided` with a bar; `label` names the bar for screen readers. */
export function CampaignProgress(props: {
  decided: number;
  total: number;
  label: string;
}) {
  const classes = useStyles();
  const { decided, total } = props;
  const percent = total ? Math.round((decided / total) * 100) : 100;
  return (
    <div className={classes.root}>
      <LinearProgress
        className={classes.bar}
        variant="determinate"
        value={percent}
        aria-label={props.label}
      />
      <Typography variant="body2" className={classes.text}>
        {decided} of {total} decided
      </Typography>
    </div>
  );
}
