import { EmptyState, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TablePagination from '@material-ui/core/TablePagination';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { WhoCanResponse } from '@identity-governance/plugin-identity-common';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { ErrorState } from '../shared/ErrorState';
import { PAGE_SIZES, useListStyles } from '../shared/listStyles';
import { MembershipPath } from '../shared/MembershipPath';
import { useTableStyles } from '../shared/tableStyles';
import { useIdentityLinks } from '../shared/useIdentityLinks';
import { SearchField } from '../UsersPage/SearchField';
import { DecidedBy } from './DecidedBy';
import { PermissionSelect } from './PermissionSelect';
import { WhatGrants } from './WhatGrants';
import { WhoCanExportButton } from './WhoCanExportButton';
import { IndexFreshness } from '../shared/StaleIndexAlert';

const DEFAULT_PAGE_SIZE = 25;

function nonNegativeInt(value: string | null, fallback: number): number {
  return value !== null && /^\d+$/.test(value) ? Number(value) : fallback;
}

/**
 * The permission, search and page of the who-can view, all in the URL so a
 * view can be shared and the back button returns to it.
 */
function useWhoCanQueryState() {
  const [params, setParams] = useSearchParams();
  const state = {
    permission: params.get('permission') ?? '',
    q: params.get('q') ?? '',
    offset: nonNegativeInt(params.get('offset'), 0),
    limit: nonNegativeInt(params.get('limit'), DEFAULT_PAGE_SIZE) || 1,
  };
  const update = useCallback(
    (change: Partial<typeof state>, options: { replace?: boolean } = {}) => {
      setParams(
        previous => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(change)) {
            if (value === '' || value === undefined) next.delete(key);
            else next.set(key, String(value));
          }
          if (next.get('offset') === '0') next.delete('offset');
          if (next.get('limit') === String(DEFAULT_PAGE_SIZE)) {
            next.delete('limit');
          }
          return next;
        },
        { replace: options.replace },
      );
    },
    [setParams],
  );
  return { state, update };
}

function WhoCanTable(props: {
  page: WhoCanResponse;
  loading: boolean;
  offset: number;
  limit: number;
  onPage: (offset: number, limit: number) => void;
}) {
  const classes = useListStyles();
  const tableClasses = useTableStyles();
  const links = useIdentityLinks();
  const { page, offset, limit } = props;
  return (
    <Paper>
      <div className={classes.progress}>{props.loading && <Progress />}</div>
      <TableContainer>
        <Table size="small" aria-label="Who can" className={tableClasses.table}>
          <TableHead>
            <TableRow>
              <TableCell>User</TableCell>
              <TableCell>Display name</TableCell>
              <TableCell>Granted by</TableCell>
              <TableCell>Membership path</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {page.items.map(item => (
              <TableRow key={item.user.entityRef}>
                <TableCell className={tableClasses.nowrap}>
                  <Link to={links.user(item.user.entityRef)}>
                    {item.user.name}
                  </Link>
                </TableCell>
                <TableCell>{item.user.displayName ?? ''}</TableCell>
                <TableCell>
                  <DecidedBy decidedBy={item.decidedBy} />
                </TableCell>
                <TableCell>
                  <MembershipPath path={item.path} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {page.items.length === 0 && !props.loading && (
        <EmptyState
          missing="data"
          title="Nobody is listed"
          description="No user matches this search among those allowed the permission."
        />
      )}
      <TablePagination
        component="div"
        count={page.totalItems}
        page={Math.floor(offset / limit)}
        rowsPerPage={limit}
        rowsPerPageOptions={PAGE_SIZES}
        onPageChange={(_, p) => props.onPage(p * limit, limit)}
        onRowsPerPageChange={e => props.onPage(0, Number(e.target.value))}
      />
    </Paper>
  );
}

/**
 * Who can: pick a guarded permission and see every user allowed it, each
 * with the membership path that grants it. Searched and paged on the
 * server, exported as CSV.
 */
export function WhoCanPage() {
  const classes = useListStyles();
  const api = useApi(identityApiRef);
  const { state, update } = useWhoCanQueryState();
  const permissions = useAsync(() => api.getGuardedPermissions(), [api]);

  // With no permission in the URL, show the first one.
  const first = permissions.value?.[0]?.name;
  useEffect(() => {
    if (!state.permission && first) {
      update({ permission: first }, { replace: true });
    }
  }, [state.permission, first, update]);

  const { permission, q, offset, limit } = state;
  const rows = useAsync(
    async () =>
      permission ? api.getWhoCan(permission, { q, offset, limit }) : undefined,
    [api, permission, q, offset, limit],
  );
  // The previous page stays up while the next one loads, under a progress
  // bar, rather than the table disappearing on each key.
  const [shown, setShown] = useState<WhoCanResponse>();
  useEffect(() => {
    if (rows.value) setShown(rows.value);
  }, [rows.value]);

  if (permissions.error) return <ErrorState error={permissions.error} />;
  if (!permissions.value) return <Progress />;
  const info = permissions.value.find(p => p.name === permission);
  const page = shown?.permission === permission ? shown : undefined;

  return (
    <>
      <IndexFreshness />
      <div className={classes.toolbar}>
        <PermissionSelect
          permissions={permissions.value}
          value={permission}
          onChange={p => update({ permission: p, offset: 0 })}
        />
        <SearchField
          value={q}
          onChange={text => update({ q: text, offset: 0 }, { replace: true })}
        />
        <div className={classes.grow} />
        {permission && <WhoCanExportButton permission={permission} />}
      </div>
      <Box mb={2}>
        <WhatGrants info={info} />
        {page?.everyone && (
          <Typography variant="body2">
            Every signed-in user is allowed: the policy does not guard this
            permission and its default decision is allow.
          </Typography>
        )}
        {page?.conditional?.map(c => (
          <Typography variant="body2" key={c.rule}>
            Also allowed, per entity: {c.description} (<code>{c.rule}</code>
            ).
          </Typography>
        ))}
      </Box>
      {rows.error && <ErrorState error={rows.error} />}
      {page && (
        <WhoCanTable
          page={page}
          loading={rows.loading}
          offset={offset}
          limit={limit}
          onPage={(o, l) => update({ offset: o, limit: l })}
        />
      )}
      {!page && rows.loading && <Progress />}
    </>
  );
}
