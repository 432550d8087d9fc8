import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { AccessExplanation } from '@identity-governance/plugin-identity-common';
import { shortRef } from '../shared/shortRef';
import { DecidedBy } from './DecidedBy';

const useStyles = makeStyles(theme => ({
  reason: {
    display: 'block',
    color: theme.palette.text.secondary,
  },
  uncounted: {
    margin: theme.spacing(0.5, 0, 0),
    paddingLeft: theme.spacing(2),
  },
}));

/**
 * Why a decision came out as it did: what settled it, the policy's own
 * reason (the text of its decision log line), and the memberships that
 * would have granted it but did not count.
 */
export function AccessWhy(props: { explanation: AccessExplanation }) {
  const classes = useStyles();
  const { decidedBy, reason, uncounted = [] } = props.explanation;
  return (
    <div>
      <DecidedBy decidedBy={decidedBy} />
      <Typography variant="caption" className={classes.reason}>
        {reason}
      </Typography>
      {uncounted.length > 0 && (
        <>
          <Typography variant="caption" className={classes.reason}>
            Not counted:
          </Typography>
          <ul
            className={classes.uncounted}
            aria-label="Memberships not counted"
          >
            {uncounted.map(m => (
              <li key={`${m.groupRef}-${m.declaredBy}`}>
                <Typography variant="caption">
                  {shortRef(m.groupRef)}, declared by {shortRef(m.declaredBy)}
                  {m.origin ? ` (${m.origin})` : ''}: {m.reason}
                </Typography>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
