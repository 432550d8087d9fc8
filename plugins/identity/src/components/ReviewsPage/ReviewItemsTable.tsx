import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  ReviewDecision,
  ReviewItem,
} from '@identity-governance/plugin-identity-common';
import { MembershipPath } from '../shared/MembershipPath';
import { shortRef } from '../shared/shortRef';
import { useTableStyles } from '../shared/tableStyles';
import { TruncatedText } from '../shared/Truncated';
import { DecisionCell } from './DecisionCell';
import { pathRefs } from './reviewLabels';

/** What the table lets the signed-in user do with each item. */
export interface ReviewItemsTableActions {
  /** Whether the caller decides this item (theirs, campaign open). */
  editable: (item: ReviewItem) => boolean;
  /** Managers, while the campaign is open. */
  canReassign: boolean;
  /** Managers: a reviewer sees only their own items. */
  showReviewer: boolean;
  selected: Set<string>;
  onSelect: (ids: string[], selected: boolean) => void;
  comment: (item: ReviewItem) => string;
  onComment: (item: ReviewItem, text: string) => void;
  onDecide: (items: ReviewItem[], decision: ReviewDecision) => void;
  onReassign: (item: ReviewItem) => void;
  busy: boolean;
}

function Person(props: { item: ReviewItem }) {
  const { item } = props;
  return (
    <>
      <Typography variant="body2">
        {item.displayName ?? shortRef(item.userRef)}
      </Typography>
      {item.displayName && (
        <Typography variant="caption" color="textSecondary">
          {shortRef(item.userRef)}
        </Typography>
      )}
    </>
  );
}

function Source(props: { item: ReviewItem }) {
  const { item } = props;
  return (
    <>
      <Typography variant="body2">{item.source}</Typography>
      {item.managedByLocation && (
        <Typography variant="caption" color="textSecondary" component="div">
          <TruncatedText text={item.managedByLocation} maxWidth={180} />
        </Typography>
      )}
      {item.groupManagedByLocation && (
        <Typography variant="caption" color="textSecondary" component="div">
          <TruncatedText
            text={`Group: ${item.groupManagedByLocation}`}
            maxWidth={180}
          />
        </Typography>
      )}
    </>
  );
}

/**
 * One page of a campaign's items: who has what through which path, where
 * the record is managed, who reviews it, the decision and, for revokes,
 * whether the revocation took effect.
 */
export function ReviewItemsTable(props: {
  items: ReviewItem[];
  actions: ReviewItemsTableActions;
}) {
  const tableClasses = useTableStyles();
  const { items, actions } = props;
  const own = items.filter(actions.editable);
  const selectable = own.length > 0;
  const allSelected = selectable && own.every(i => actions.selected.has(i.id));
  const someSelected = own.some(i => actions.selected.has(i.id));
  return (
    <TableContainer>
      <Table
        size="small"
        aria-label="Review items"
        className={tableClasses.table}
      >
        <TableHead>
          <TableRow>
            {selectable && (
              <TableCell padding="checkbox">
                <Checkbox
                  checked={allSelected}
                  indeterminate={someSelected && !allSelected}
                  onChange={e =>
                    actions.onSelect(
                      own.map(i => i.id),
                      e.target.checked,
                    )
                  }
                  inputProps={{ 'aria-label': 'Select all on this page' }}
                />
              </TableCell>
            )}
            <TableCell>Person</TableCell>
            <TableCell>Access</TableCell>
            <TableCell>Path</TableCell>
            <TableCell>Source</TableCell>
            {actions.showReviewer && <TableCell>Reviewer</TableCell>}
            <TableCell>Decision</TableCell>
            {actions.canReassign && <TableCell>Actions</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(item => {
            const person = item.displayName ?? shortRef(item.userRef);
            const editable = actions.editable(item);
            return (
              <TableRow key={item.id}>
                {selectable && (
                  <TableCell padding="checkbox">
                    {editable && (
                      <Checkbox
                        checked={actions.selected.has(item.id)}
                        onChange={e =>
                          actions.onSelect([item.id], e.target.checked)
                        }
                        inputProps={{ 'aria-label': `Select ${person}` }}
                      />
                    )}
                  </TableCell>
                )}
                <TableCell className={tableClasses.nowrap}>
                  <Person item={item} />
                </TableCell>
                <TableCell>
                  <TruncatedText text={shortRef(item.access)} maxWidth={200} />
                </TableCell>
                <TableCell>
                  <MembershipPath path={pathRefs(item.path)} />
                </TableCell>
                <TableCell>
                  <Source item={item} />
                </TableCell>
                {actions.showReviewer && (
                  <TableCell className={tableClasses.nowrap}>
                    {shortRef(item.reviewer)}
                  </TableCell>
                )}
                <TableCell>
                  <DecisionCell
                    item={item}
                    person={person}
                    editable={editable}
                    comment={actions.comment(item)}
                    onComment={text => actions.onComment(item, text)}
                    onDecide={decision => actions.onDecide([item], decision)}
                    busy={actions.busy}
                  />
                </TableCell>
                {actions.canReassign && (
                  <TableCell>
                    <Button
                      size="small"
                      onClick={() => actions.onReassign(item)}
                      aria-label={`Reassign ${person}`}
                    >
                      Reassign
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
