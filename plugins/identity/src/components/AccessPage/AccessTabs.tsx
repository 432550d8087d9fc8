import { IdentityReadGate } from '../shared/IdentityReadGate';
import { CheckAccessPage } from './CheckAccessPage';
import { MyAccessPage } from './MyAccessPage';
import { WhoCanPage } from './WhoCanPage';

/** The My access tab: every signed-in user, no permission needed. */
export function MyAccessTab() {
  return <MyAccessPage />;
}

/** The Who can tab, for users with `identity.read`. */
export function WhoCanTab() {
  return (
    <IdentityReadGate>
      <WhoCanPage />
    </IdentityReadGate>
  );
}

/** The Check access tab, for users with `identity.read`. */
export function CheckAccessTab() {
  return (
    <IdentityReadGate>
      <CheckAccessPage />
    </IdentityReadGate>
  );
}
