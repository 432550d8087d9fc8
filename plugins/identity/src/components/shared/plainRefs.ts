import { createContext, useContext } from 'react';

/**
 * True where users and groups are named without links: on My access and
 * Reviews for a user without `identity.read`, whose links to users and
 * groups would only lead back to My access.
 */
export const PlainRefsContext = createContext(false);

/** Whether refs are named without links here. */
export function usePlainRefs(): boolean {
  return useContext(PlainRefsContext);
}
