import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  AccessExplanation,
  AccessResult,
} from '@identity-governance/plugin-identity-common';
import { AccessPath } from './AccessPath';
import { AccessResultChip } from './AccessResultChip';
import { AccessWhy } from './AccessWhy';
import { useTableStyles } from '../shared/tableStyles';

const useStyles = makeStyles(theme => ({
  nowrap: { whiteSpace: 'nowrap' },
  why: { minWidth: theme.spacing(32) },
}));

const order: Record<AccessResult, number> = {
  allow: 0,
  conditional: 1,
  deny: 2,
};

/**
 * Every guarded permission of one user: the decision as a chip, why, and
 * the membership path a grant rests on. Allowed first, then conditional,
 * then denied; by name within each.
 */
export function AccessTable(props: {
  items: AccessExplanation[];
  'aria-label': string;
}) {
  const classes = useStyles();
  const tableClasses = useTableStyles();
  const items = [...props.items].sort(
    (a, b) =>
      order[a.result] - order[b.result] ||
      a.permission.localeCompare(b.permission),
  );
  return (
    <Table
      size="small"
      aria-label={props['aria-label']}
      className={tableClasses.table}
    >
      <TableHead>
        <TableRow>
          <TableCell>Permission</TableCell>
          <TableCell>Decision</TableCell>
          <TableCell>Why</TableCell>
          <TableCell>Membership path</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map(item => (
          <TableRow key={`${item.permission}-${item.resourceRef ?? ''}`}>
            <TableCell className={classes.nowrap}>
              <Typography variant="body2">
                <code>{item.permission}</code>
              </Typography>
            </TableCell>
            <TableCell className={classes.nowrap}>
              <AccessResultChip result={item.result} />
            </TableCell>
            <TableCell className={classes.why}>
              <AccessWhy explanation={item} />
            </TableCell>
            <TableCell>
              {item.path && item.path.length > 0 ? (
                <AccessPath path={item.path} />
              ) : (
                <Typography variant="body2" color="textSecondary">
                  —
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** "2 of 8 allowed, 1 conditional" for a card's subheader. */
export function accessSummary(items: AccessExplanation[]): string {
  const allowed = items.filter(i => i.result === 'allow').length;
  const conditional = items.filter(i => i.result === 'conditional').length;
  return `${allowed} of ${items.length} guarded permissions allowed${
    conditional ? `, ${conditional} conditional` : ''
  }`;
}
