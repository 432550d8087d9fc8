import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { AccessPathEdge } from '@identity-governance/plugin-identity-common';
import { MembershipPath } from '../shared/MembershipPath';
import { shortRef } from '../shared/shortRef';

const useStyles = makeStyles(theme => ({
  edges: {
    margin: theme.spacing(0.5, 0, 0),
    paddingLeft: theme.spacing(2),
    color: theme.palette.text.secondary,
  },
}));

/** Where one edge of a path comes from, in words. */
export function describeEdgeSource(edge: AccessPathEdge): string {
  const parts = [
    edge.declaredBy === 'unknown'
      ? 'declared by an unknown source'
      : `declared by ${shortRef(edge.declaredBy)}`,
  ];
  if (edge.origin) parts.push(`origin ${edge.origin}`);
  if (edge.directory) parts.push(`directory ${edge.directory}`);
  return parts.join(', ');
}

/**
 * The membership path a grant rests on: the chain of links, then each
 * edge with the entity that declared it, its origin and its directory.
 */
export function AccessPath(props: { path: AccessPathEdge[] }) {
  const classes = useStyles();
  const { path } = props;
  if (path.length === 0) return null;
  const refs = [path[0].from, ...path.map(edge => edge.to)];
  return (
    <div>
      <MembershipPath path={refs} />
      <ul className={classes.edges} aria-label="Path sources">
        {path.map((edge, i) => (
          <li key={`${edge.from}-${edge.to}-${i}`}>
            <Typography variant="caption">
              {shortRef(edge.from)} → {shortRef(edge.to)}:{' '}
              {describeEdgeSource(edge)}
            </Typography>
          </li>
        ))}
      </ul>
    </div>
  );
}
