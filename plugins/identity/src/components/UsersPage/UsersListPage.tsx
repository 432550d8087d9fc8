import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef } from '../../api';
import { ErrorState } from '../shared/ErrorState';
import { SummaryStrip } from './SummaryStrip';
import { UsersFilters } from './UsersFilters';
import { UsersTable } from './UsersTable';
import { useUsersQueryState } from './useUsersQueryState';

/** The summary strip, the filters and the users table. */
export function UsersListPage() {
  const api = useApi(identityApiRef);
  const [state, update] = useUsersQueryState();
  // react-use keeps the previous page while the next one loads, so paging
  // and typing do not flash an empty table.
  const users = useAsync(() => api.getUsers(state), [api, state]);

  return (
    <>
      <SummaryStrip state={state} onChange={update} />
      <UsersFilters state={state} onChange={update} />
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
