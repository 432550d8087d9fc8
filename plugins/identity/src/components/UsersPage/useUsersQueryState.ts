import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  parseUsersQueryState,
  serializeUsersQueryState,
  UsersQueryState,
} from './usersQueryState';

/**
 * The users table's state from the URL, and a setter. Any change other than
 * paging goes back to the first page: page 7 of the old result means nothing.
 */
export function useUsersQueryState(): [
  UsersQueryState,
  (change: Partial<UsersQueryState>) => void,
] {
  const [searchParams, setSearchParams] = useSearchParams();
  const state = useMemo(
    () => parseUsersQueryState(searchParams),
    [searchParams],
  );
  const update = useCallback(
    (change: Partial<UsersQueryState>) => {
      setSearchParams(
        current => {
          const next = { ...parseUsersQueryState(current), ...change };
          if (change.offset === undefined) next.offset = 0;
          return serializeUsersQueryState(next);
        },
        { replace: change.q !== undefined },
      );
    },
    [setSearchParams],
  );
  return [state, update];
}
