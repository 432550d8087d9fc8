import { Progress } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { identityReadPermission } from '@identity-governance/plugin-identity-common';
import { ReactNode } from 'react';
import { ErrorState } from './ErrorState';
import { NotAllowed } from './NotAllowed';

/** Renders its children only for users allowed `identity.read`. */
export function IdentityReadGate(props: { children: ReactNode }) {
  const { loading, allowed, error } = usePermission({
    permission: identityReadPermission,
  });
  if (loading) return <Progress />;
  if (error) return <ErrorState error={error} />;
  if (!allowed) return <NotAllowed />;
  return <>{props.children}</>;
}
