import { Link } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { usePlainRefs } from './plainRefs';
import { shortRef } from './shortRef';
import { useIdentityLinks } from './useIdentityLinks';

const useStyles = makeStyles(theme => ({
  // A long path wraps between its steps, never inside a name.
  step: { display: 'inline-block', whiteSpace: 'nowrap' },
  arrow: {
    margin: theme.spacing(0, 0.75),
    color: theme.palette.text.secondary,
  },
}));

/**
 * How a user reaches a group: `nina.nested → platform-admins-emea →
 * platform-admins`, each step a link (plain text where refs are plain).
 */
export function MembershipPath(props: { path: string[] }) {
  const classes = useStyles();
  const links = useIdentityLinks();
  const plain = usePlainRefs();
  const chain = props.path.map(shortRef).join(' → ');
  if (plain) {
    return (
      <Typography
        component="span"
        variant="body2"
        aria-label={`Path: ${chain}`}
      >
        {chain}
      </Typography>
    );
  }
  return (
    <Typography component="span" variant="body2" aria-label={`Path: ${chain}`}>
      {props.path.map((ref, i) => (
        <span key={`${ref}-${i}`} className={classes.step}>
          {i > 0 && (
            <span className={classes.arrow} aria-hidden>
              →
            </span>
          )}
          <Link
            to={
              ref.toLowerCase().startsWith('user:')
                ? links.user(ref)
                : links.group(ref)
            }
          >
            {shortRef(ref)}
          </Link>
        </span>
      ))}
    </Typography>
  );
}
