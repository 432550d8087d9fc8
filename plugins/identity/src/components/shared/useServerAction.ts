import { useCallback, useState } from 'react';
import { serverMessage } from './serverMessage';

/**
 * A request a user starts with a click: whether it is under way, and what
 * the backend said when it failed (kept for the dialog to show, or handed
 * to `onError`, e.g. for an alert).
 */
export function useServerAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(
    async (
      action: () => Promise<void>,
      onError?: (message: string) => void,
    ) => {
      setBusy(true);
      setError(undefined);
      try {
        await action();
      } catch (e) {
        const message = serverMessage(e as Error);
        if (onError) onError(message);
        else setError(message);
      } finally {
        setBusy(false);
      }
    },
    [],
  );
  return { busy, error, run, clearError: () => setError(undefined) };
}
