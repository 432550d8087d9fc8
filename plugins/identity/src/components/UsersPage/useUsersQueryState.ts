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
 *
 * @param onUpdate - called with the state a change leads to, as the URL
 *   changes, before the page renders with it
 */
export function useUsersQueryState(
  onUpdate?: (next: UsersQueryState) => void,
): [UsersQueryState, (change: Partial<UsersQueryState>) => void] {
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
          const params = serializeUsersQueryState(next);
          // As the page will read it back from the URL.
          onUpdate?.(parseUsersQueryState(params));
          return params;
        },
        { replace: change.q !== undefined },
      );
    },
    [setSearchParams, onUpdate],
  );
  return [state, update];
}
