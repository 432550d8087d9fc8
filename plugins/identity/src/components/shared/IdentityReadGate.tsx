import { usePermission } from '@backstage/plugin-permission-react';
import { identityReadPermission } from '@identity-governance/plugin-identity-common';
import { ReactNode, useCallback, useState } from 'react';
import { ErrorState } from './ErrorState';
import { NotAllowed } from './NotAllowed';
import { NotAllowedContext } from './notAllowedContext';

/**
 * Shows the not-allowed page instead of its children to users denied
 * `identity.read`.
 *
 * The children render while the permission check is still out, so that their
 * requests run alongside it rather than after it. That shows nothing the
 * user may not see: the backend checks `identity.read` on every request and
 * answers 403. A 403 to any read of the children, like the denial itself,
 * replaces them with the one not-allowed page.
 */
export function IdentityReadGate(props: { children: ReactNode }) {
  const { loading, allowed, error } = usePermission({
    permission: identityReadPermission,
  });
  const [refused, setRefused] = useState(false);
  const reportNotAllowed = useCallback(() => setRefused(true), []);
  if (!loading && error) return <ErrorState error={error} />;
  if (refused || (!loading && !allowed)) return <NotAllowed />;
  return (
    <NotAllowedContext.Provider value={reportNotAllowed}>
      {props.children}
    </NotAllowedContext.Provider>
  );
}
