import { useApi } from '@backstage/core-plugin-api';
import {
  IdentityPage,
  IdentityUser,
} from '@identity-governance/plugin-identity-common';
import { memo, useCallback, useEffect, useRef } from 'react';
import { identityApiRef } from '../../api';
import { ErrorState } from '../shared/ErrorState';
import { SummaryStrip } from './SummaryStrip';
import { UsersFilters } from './UsersFilters';
import { UsersTable } from './UsersTable';
import { useUsersPage } from './useUsersPage';
import { useSearchUrlSync } from './useSearchUrlSync';
import { useUsersQueryState } from './useUsersQueryState';
import { serializeUsersQueryState, UsersQueryState } from './usersQueryState';

// Their props change with the query only, not when its rows arrive: the
// render that shows a page of rows skips them.
const Summary = memo(SummaryStrip);
const Filters = memo(UsersFilters);

const keyOf = (state: UsersQueryState) =>
  serializeUsersQueryState(state).toString();

/** The summary strip, the filters and the users table. */
export function UsersListPage() {
  const api = useApi(identityApiRef);
  // A search or filter change requests its rows as it changes the URL,
  // rather than once the page has rendered again with the new URL (tens of
  // milliseconds of the whole app re-rendering). The render with the new URL
  // takes that request if it is for its state, and drops it otherwise: an
  // early request is used once, right after it was made, or never.
  const early = useRef<{
    key: string;
    rows: Promise<IdentityPage<IdentityUser>>;
  }>();
  const shown = useRef<string>();
  const requestEarly = useCallback(
    (next: UsersQueryState) => {
      const key = keyOf(next);
      if (key === shown.current) {
        // The URL does not change, and nothing would take the request.
        return;
      }
      const rows = api.getUsers(next);
      // Its errors are shown where it is used; unused, it must stay quiet.
      rows.catch(() => undefined);
      early.current = { key, rows };
    },
    [api],
  );
  const { state, update, syncSearchToUrl } = useUsersQueryState(requestEarly);
  const key = keyOf(state);
  useEffect(() => {
    shown.current = key;
  }, [key]);
  const users = useUsersPage(key, () => {
    const pending = early.current;
    early.current = undefined;
    return pending?.key === key ? pending.rows : api.getUsers(state);
  });
  useSearchUrlSync(syncSearchToUrl, !users.loading, key);

  return (
    <>
      <Summary state={state} onChange={update} />
      <Filters state={state} onChange={update} />
      {users.error ? (
        <ErrorState error={users.error} />
      ) : (
        <UsersTable
          page={users.value}
          loading={users.loading}
          state={state}
          onChange={update}
        />
      )}
    </>
  );
}
