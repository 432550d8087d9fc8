import { Route, Routes } from 'react-router-dom';
import { IdentityReadGate } from '../shared/IdentityReadGate';
import { UserDetailPage } from '../UserDetailPage/UserDetailPage';
import { UsersListPage } from './UsersListPage';

/**
 * The Users tab: `/` lists users, `/:namespace/:name` shows one and
 * `/:namespace/:name/access` that user's access.
 */
export function UsersRoutes() {
  return (
    <IdentityReadGate>
      <Routes>
        <Route path="/" element={<UsersListPage />} />
        <Route path="/:namespace/:name/*" element={<UserDetailPage />} />
      </Routes>
    </IdentityReadGate>
  );
}
