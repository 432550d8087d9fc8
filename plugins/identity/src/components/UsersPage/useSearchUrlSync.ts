import { useEffect } from 'react';

/**
 * How long the page waits, once a search's rows are painted, before it
 * writes the search to the URL, when the user does nothing else meanwhile.
 * Longer than the pause between two keys, so that the write (a render of the
 * whole app) comes after the typing rather than between one search's rows
 * and the next search's.
 */
export const SEARCH_URL_DELAY_MS = 1000;

/** Keys that can leave the page: following a focused link, moving focus. */
const LEAVING_KEYS = new Set(['Enter', 'Tab']);

/**
 * Writes the search in the box to the URL (`sync`, a no-op when it is there
 * already) once its rows are painted and the user has left the page alone
 * for `SEARCH_URL_DELAY_MS`, or at once on a pointer press anywhere or Enter
 * or Tab, whether its rows are in or not: before a click on a row, a tab or
 * the sidebar navigates, so that the search is in the history entry the back
 * button returns to.
 *
 * A URL change renders the whole app (router, header, sidebar): written as
 * soon as each search's rows were painted, it took the main thread while
 * the user was still typing, and the rows of the next search waited for it.
 *
 * @param shown - whether the rows of the current state are shown
 * @param key - the current state; a new one restarts the wait
 */
export function useSearchUrlSync(
  sync: () => void,
  shown: boolean,
  key: string,
): void {
  useEffect(() => {
    if (!shown) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The wait starts with the frame that paints the rows.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(sync, SEARCH_URL_DELAY_MS);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [sync, shown, key]);

  useEffect(() => {
    const onPointer = () => sync();
    const onKey = (event: KeyboardEvent) => {
      if (LEAVING_KEYS.has(event.key)) sync();
    };
    // Capture: the write lands before the press reaches a link's handler.
    document.addEventListener('pointerdown', onPointer, true);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('pointerdown', onPointer, true);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [sync]);
}
