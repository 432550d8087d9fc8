import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Paper from '@material-ui/core/Paper';
import Switch from '@material-ui/core/Switch';
import TablePagination from '@material-ui/core/TablePagination';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  ReviewCampaign,
  ReviewDecision,
  ReviewItem,
  ReviewItemPage,
} from '@identity-governance/plugin-identity-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef, ReviewItemsQuery } from '../../api';
import { ErrorState } from '../shared/ErrorState';
import { PAGE_SIZES, useListStyles } from '../shared/listStyles';
import { useServerAction } from '../shared/useServerAction';
import { SearchField } from '../UsersPage/SearchField';
import { ReassignDialog } from './ReassignDialog';
import { ReviewItemsTable } from './ReviewItemsTable';

const useStyles = makeStyles(theme => ({
  bulk: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 2),
  },
}));

const bulkActions: Array<[ReviewDecision, 'primary' | 'secondary', string]> = [
  ['keep', 'primary', 'Keep selected'],
  ['revoke', 'secondary', 'Revoke selected'],
];

/**
 * A campaign's items, searched and paged on the server. Reviewers decide
 * their own items one by one or a page at a time (one all-or-nothing
 * request); managers see every item, may narrow to theirs and reassign.
 */
export function ReviewItemsPanel(props: {
  campaign: ReviewCampaign;
  manager: boolean;
  userRef?: string;
  /** Changes when the campaign changed elsewhere: read the page again. */
  version: number;
  /** After decisions and reassignments, for the progress to follow. */
  onChanged: () => void;
}) {
  const classes = { ...useListStyles(), ...useStyles() };
  const api = useApi(identityApiRef);
  const { campaign, manager, userRef } = props;
  const open = campaign.status === 'open';
  const [query, setQuery] = useState<Required<ReviewItemsQuery>>({
    q: '',
    mine: false,
    offset: 0,
    limit: 25,
  });
  const page = useAsync(
    () => api.getReviewItems(campaign.id, query),
    [api, campaign.id, query, props.version],
  );
  // The previous page stays up while the next one loads.
  const [shown, setShown] = useState<ReviewItemPage>();
  useEffect(() => {
    if (page.value) setShown(page.value);
  }, [page.value]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => setSelected(new Set()), [query]);
  const [comments, setComments] = useState<Record<string, string>>({});
  const { busy, error, run, clearError } = useServerAction();
  const [reassigning, setReassigning] = useState<ReviewItem>();

  const update = (change: Partial<ReviewItemsQuery>) =>
    setQuery(previous => ({ ...previous, offset: 0, ...change }));
  const comment = (item: ReviewItem) => comments[item.id] ?? item.comment ?? '';

  const decide = (items: ReviewItem[], decision: ReviewDecision) =>
    run(async () => {
      await api.decideReviewItems(campaign.id, {
        decisions: items.map(item => {
          const text = comment(item).trim();
          return {
            itemId: item.id,
            decision,
            ...(text ? { comment: text } : {}),
          };
        }),
      });
      setSelected(new Set());
      props.onChanged();
    });

  const items = shown?.items ?? [];
  const chosen = items.filter(i => selected.has(i.id));
  return (
    <>
      <div className={classes.toolbar}>
        <SearchField
          value={query.q}
          onChange={q => update({ q })}
          ariaLabel="Search items"
          placeholder="Person, access or path"
        />
        {manager && (
          <FormControlLabel
            control={
              <Switch
                checked={query.mine}
                onChange={e => update({ mine: e.target.checked })}
                color="primary"
              />
            }
            label="My items"
          />
        )}
      </div>
      {error && (
        <Alert severity="error" onClose={clearError}>
          The decision was not saved (nothing of it was): {error}
        </Alert>
      )}
      {page.error && <ErrorState error={page.error} />}
      {!shown && page.loading && <Progress />}
      {shown && (
        <Paper>
          <div className={classes.progress}>{page.loading && <Progress />}</div>
          {open && chosen.length > 0 && (
            <div
              className={classes.bulk}
              role="region"
              aria-label="Bulk decision"
            >
              <Typography variant="body2" style={{ flexGrow: 1 }}>
                {chosen.length} selected
              </Typography>
              {bulkActions.map(([decision, color, label]) => (
                <Button
                  key={decision}
                  size="small"
                  color={color}
                  variant="outlined"
                  disabled={busy}
                  onClick={() => decide(chosen, decision)}
                >
                  {label}
                </Button>
              ))}
            </div>
          )}
          <ReviewItemsTable
            items={items}
            actions={{
              editable: item => open && item.reviewer === userRef,
              canReassign: open && manager,
              showReviewer: manager,
              selected,
              onSelect: (ids, on) =>
                setSelected(previous => {
                  const next = new Set(previous);
                  ids.forEach(id => (on ? next.add(id) : next.delete(id)));
                  return next;
                }),
              comment,
              onComment: (item, text) =>
                setComments(previous => ({ ...previous, [item.id]: text })),
              onDecide: decide,
              onReassign: setReassigning,
              busy,
            }}
          />
          {items.length === 0 && !page.loading && (
            <EmptyState
              missing="data"
              title="No items"
              description={
                query.q || query.mine
                  ? 'No item matches this search.'
                  : 'This campaign has no items for you.'
              }
            />
          )}
          <TablePagination
            component="div"
            count={shown.totalItems}
            page={Math.floor(query.offset / query.limit)}
            rowsPerPage={query.limit}
            rowsPerPageOptions={PAGE_SIZES}
            onPageChange={(_, p) =>
              setQuery(previous => ({
                ...previous,
                offset: p * previous.limit,
              }))
            }
            onRowsPerPageChange={e => update({ limit: Number(e.target.value) })}
          />
        </Paper>
      )}
      {reassigning && (
        <ReassignDialog
          item={reassigning}
          onClose={() => setReassigning(undefined)}
          onReassigned={() => {
            setReassigning(undefined);
            props.onChanged();
          }}
        />
      )}
    </>
  );
}
