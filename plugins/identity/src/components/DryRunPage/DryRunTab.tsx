import { IdentityReadGate } from '../shared/IdentityReadGate';
import { DryRunPage } from './DryRunPage';

/** The Policy dry-run tab, for users with `identity.read`. */
export function DryRunTab() {
  return (
    <IdentityReadGate>
      <DryRunPage />
    </IdentityReadGate>
  );
}
