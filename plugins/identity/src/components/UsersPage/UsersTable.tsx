import { EmptyState, Progress } from '@backstage/core-components';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import { makeStyles } from '@material-ui/core/styles';
import { useMemo } from 'react';
import {
  IdentityPage,
  IdentityUser,
  IdentityUserSortField,
} from '@identity-governance/plugin-identity-common';
import { sourceLabels } from '../shared/labels';
import { shortRef } from '../shared/shortRef';
import { StatusFlagChips } from '../shared/StatusFlagChips';
import { useTableStyles } from '../shared/tableStyles';
import { TruncatedText } from '../shared/Truncated';
import { useIdentityLinks } from '../shared/useIdentityLinks';
import { usePlainLinks } from '../shared/usePlainLinks';
import { PAGE_SIZES, UsersQueryState } from './usersQueryState';

const useStyles = makeStyles(theme => ({
  progress: { height: 4 },
  // Each group on one line; several wrap between groups, never inside one.
  groups: {
    '& > a': { display: 'inline-block', whiteSpace: 'nowrap' },
    '& > *:not(:last-child)': { marginRight: theme.spacing(1) },
  },
  name: { whiteSpace: 'nowrap' },
  // Room for most addresses; a longer one is cut, with a tooltip.
  email: { maxWidth: theme.spacing(25) },
  // As Material UI's Link: the theme's primary colour, underlined on hover.
  link: {
    color: theme.palette.primary.main,
    textDecoration: 'none',
    '&:hover': { textDecoration: 'underline' },
  },
}));

/**
 * The widest a status chip's label grows in the table: room for "Processing
 * errors"; a longer label is cut, with a tooltip. With the other columns'
 * caps, the table fits beside the pinned sidebar at 1280 px.
 */
const STATUS_LABEL_WIDTH = 120;

type Column = {
  title: string;
  sort?: IdentityUserSortField;
  align?: 'right';
};

const columns: Column[] = [
  { title: 'Name', sort: 'name' },
  { title: 'Display name', sort: 'displayName' },
  { title: 'Email', sort: 'email' },
  { title: 'Direct groups', sort: 'directGroupCount' },
  { title: 'Inherited groups', sort: 'inheritedGroupCount', align: 'right' },
  { title: 'Source', sort: 'source' },
  { title: 'Status' },
];

/**
 * The users table. Paging and sorting happen on the server: the table never
 * holds more than one page, however large the directory.
 */
export function UsersTable(props: {
  page: IdentityPage<IdentityUser> | undefined;
  loading: boolean;
  state: UsersQueryState;
  onChange: (change: Partial<UsersQueryState>) => void;
}) {
  const classes = useStyles();
  const tableClasses = useTableStyles();
  const links = useIdentityLinks();
  const { page, loading, state, onChange } = props;

  // The rows change with the page only. The renders before a new page
  // arrives (the new URL, then the progress bar) keep these elements, so
  // React skips the 50 rows instead of rendering them again. Their links
  // are plain anchors (see usePlainLinks): a page holds about 150.
  const { user: userLink, group: groupLink } = links;
  const { href, onClick } = usePlainLinks();
  const rows = useMemo(() => {
    const link = (to: string, text: string, key?: string) => (
      <a
        key={key}
        className={classes.link}
        href={href(to)}
        data-to={to}
        onClick={onClick}
      >
        {text}
      </a>
    );
    return page?.items.map(user => (
      <TableRow key={user.entityRef} hover>
        <TableCell className={classes.name}>
          {link(userLink(user.entityRef), shortRef(user.entityRef))}
        </TableCell>
        <TableCell>{user.displayName}</TableCell>
        <TableCell>
          {user.email && (
            <TruncatedText text={user.email} className={classes.email} />
          )}
        </TableCell>
        <TableCell className={classes.groups}>
          {user.directGroups.map(group =>
            link(groupLink(group), shortRef(group), group),
          )}
        </TableCell>
        <TableCell align="right">{user.inheritedGroupCount}</TableCell>
        <TableCell>{sourceLabels[user.source] ?? user.source}</TableCell>
        <TableCell>
          <StatusFlagChips flags={user.flags} maxWidth={STATUS_LABEL_WIDTH} />
        </TableCell>
      </TableRow>
    ));
  }, [page, classes, userLink, groupLink, href, onClick]);

  const onSort = (field: IdentityUserSortField) => {
    const order =
      state.sort === field && (state.order ?? 'asc') === 'asc' ? 'desc' : 'asc';
    onChange({ sort: field, order });
  };

  return (
    <Paper>
      {/* Backstage's Progress shows only after 250 ms: most pages arrive
          sooner, and the bar's animation would take frames from them. */}
      <div className={classes.progress}>{loading && <Progress />}</div>
      <TableContainer>
        <Table size="small" aria-label="Users" className={tableClasses.table}>
          <TableHead>
            <TableRow>
              {columns.map(column => (
                <TableCell
                  key={column.title}
                  align={column.align}
                  sortDirection={
                    column.sort && state.sort === column.sort
                      ? state.order ?? 'asc'
                      : false
                  }
                >
                  {column.sort ? (
                    <TableSortLabel
                      active={state.sort === column.sort}
                      direction={
                        state.sort === column.sort
                          ? state.order ?? 'asc'
                          : 'asc'
                      }
                      onClick={() => onSort(column.sort!)}
                    >
                      {column.title}
                    </TableSortLabel>
                  ) : (
                    column.title
                  )}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>{rows}</TableBody>
        </Table>
      </TableContainer>
      {page && page.items.length === 0 && !loading && (
        <EmptyState
          missing="data"
          title="No users match"
          description="Nothing in the catalog matches this search and these filters. Clear a filter to widen the search."
        />
      )}
      <TablePagination
        component="div"
        count={page?.totalItems ?? 0}
        page={Math.floor(state.offset / state.limit)}
        rowsPerPage={state.limit}
        rowsPerPageOptions={PAGE_SIZES}
        onPageChange={(_, p) => onChange({ offset: p * state.limit })}
        onRowsPerPageChange={e =>
          onChange({ limit: Number(e.target.value), offset: 0 })
        }
      />
    </Paper>
  );
}
