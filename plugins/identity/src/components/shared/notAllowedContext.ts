import { createContext, useContext } from 'react';

/**
 * Set by `IdentityReadGate`: tells it that the backend refused a read with
 * 403, so that the gate shows its one not-allowed page in place of the whole
 * page, as for a denied permission check.
 */
export const NotAllowedContext = createContext<(() => void) | undefined>(
  undefined,
);

/** The gate's report of a refused read, when inside a gate. */
export function useReportNotAllowed(): (() => void) | undefined {
  return useContext(NotAllowedContext);
}
