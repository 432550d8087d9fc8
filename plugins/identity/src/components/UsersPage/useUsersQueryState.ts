import { useCallback, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  parseUsersQueryState,
  serializeUsersQueryState,
  UsersQueryState,
} from './usersQueryState';

/** The users table's state, and what changes it. */
export interface UsersQueryStateHandle {
  /** What the page shows: the URL's state, with a typed search not yet in it. */
  state: UsersQueryState;
  /**
   * Changes the state. Filters, sorting and paging go to the URL at once
   * (each a history entry); a search is shown at once and reaches the URL
   * when `syncSearchToUrl` is called (replacing the entry).
   */
  update: (change: Partial<UsersQueryState>) => void;
  /** Writes a search shown but not yet in the URL into it; else nothing. */
  syncSearchToUrl: () => void;
}

/** A state as the page would read it back from the URL. */
const normalize = (state: UsersQueryState) =>
  parseUsersQueryState(serializeUsersQueryState(state));

/**
 * The users table's state from the URL, and what changes it. Any change
 * other than paging goes back to the first page: page 7 of the old result
 * means nothing.
 *
 * A search is held back from the URL until the page calls
 * `syncSearchToUrl`, which it does once the search's rows are shown and
 * the typing has stopped (`useSearchUrlSync`): a URL change re-renders the
 * whole app (router, header, sidebar), and on a large page that render would
 * otherwise stand between the search's response and its rows. A filter,
 * sort or page change takes a held-back search into the URL with it. Held
 * back, a search is tied to the URL it was typed on: any
 * navigation (the back button, a shared link) drops it.
 *
 * @param onUpdate - called with the state a change leads to, before the
 *   page renders with it
 */
export function useUsersQueryState(
  onUpdate?: (next: UsersQueryState) => void,
): UsersQueryStateHandle {
  const [searchParams, setSearchParams] = useSearchParams();
  const url = searchParams.toString();
  const fromUrl = useMemo(
    () => parseUsersQueryState(searchParams),
    [searchParams],
  );

  const [typed, setTyped] = useState<{ q: string; onUrl: string }>();
  // The URL `syncSearchToUrl` wrote (`url`), from the URL the page showed
  // then (`from`), while the page still shows that one. A search typed in
  // between belongs to the URL written, not to the one the page still shows:
  // tied to the old one, it would be dropped as soon as the page's own write
  // lands, and the box would lose the keys typed since. Any URL change the
  // page renders ends it, whether the write landed or another navigation
  // overtook it.
  const written = useRef<{ url: string; from: string }>();
  if (written.current?.from !== url) written.current = undefined;
  const pendingQ = typed?.onUrl === url ? typed.q : undefined;
  const state = useMemo(
    () =>
      pendingQ === undefined
        ? fromUrl
        : normalize({ ...fromUrl, q: pendingQ, offset: 0 }),
    [fromUrl, pendingQ],
  );

  // The callbacks read these rather than close over them, so that they keep
  // their identity while the URL stays the same (the router's setter changes
  // with it): a typed search re-renders without new callbacks.
  const latest = useRef({ state, pendingQ });
  latest.current = { state, pendingQ };

  const update = useCallback(
    (change: Partial<UsersQueryState>) => {
      const keys = Object.keys(change);
      if (keys.length === 1 && keys[0] === 'q') {
        const next = normalize({
          ...latest.current.state,
          q: change.q,
          offset: 0,
        });
        onUpdate?.(next);
        setTyped({ q: next.q ?? '', onUrl: written.current?.url ?? url });
        return;
      }
      setSearchParams(
        current => {
          const { pendingQ: q } = latest.current;
          const next = {
            ...parseUsersQueryState(current),
            ...(q === undefined ? {} : { q }),
            ...change,
          };
          if (change.offset === undefined) next.offset = 0;
          const params = serializeUsersQueryState(next);
          onUpdate?.(parseUsersQueryState(params));
          return params;
        },
        { replace: change.q !== undefined },
      );
    },
    [setSearchParams, onUpdate, url],
  );

  const syncSearchToUrl = useCallback(() => {
    const { pendingQ: q } = latest.current;
    if (q === undefined) return;
    setSearchParams(
      current => {
        const params = serializeUsersQueryState({
          ...parseUsersQueryState(current),
          q,
          offset: 0,
        });
        written.current = { url: params.toString(), from: current.toString() };
        return params;
      },
      { replace: true },
    );
  }, [setSearchParams]);

  return { state, update, syncSearchToUrl };
}
