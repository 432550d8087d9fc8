import {
  IdentityPage,
  IdentityUser,
} from '@identity-governance/plugin-identity-common';
import { useEffect, useState } from 'react';

/** A page of users being loaded or shown. */
export interface UsersPageState {
  /** The last page that arrived; kept while the next one loads. */
  value?: IdentityPage<IdentityUser>;
  error?: Error;
  loading: boolean;
}

/**
 * The page of users for `key`, fetched by `load` whenever `key` changes.
 *
 * `loading` is worked out from the key of what is shown rather than set once
 * the fetch starts: the render that takes the new URL already shows the
 * progress bar, instead of a second render of the whole list for it (as
 * react-use's `useAsync` does). The previous page stays until the next one
 * arrives, so paging and typing do not flash an empty table; an answer for a
 * key that is no longer wanted is dropped.
 */
export function useUsersPage(
  key: string,
  load: () => Promise<IdentityPage<IdentityUser>>,
): UsersPageState {
  const [shown, setShown] = useState<{
    key: string;
    value?: IdentityPage<IdentityUser>;
    error?: Error;
  }>();

  useEffect(() => {
    let wanted = true;
    load().then(
      value => {
        if (wanted) setShown({ key, value });
      },
      error => {
        if (wanted) setShown(previous => ({ ...previous, key, error }));
      },
    );
    return () => {
      wanted = false;
    };
    // `load` belongs to the render of `key`; a new key is what asks again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const loading = shown?.key !== key;
  return {
    value: shown?.value,
    error: loading ? undefined : shown?.error,
    loading,
  };
}
