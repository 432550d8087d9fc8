import { Route, Routes } from 'react-router-dom';
import { IdentityReadGate } from '../shared/IdentityReadGate';
import { GroupDetailPage } from './GroupDetailPage';
import { GroupTreePage } from './GroupTreePage';
import { IndexFreshness } from '../shared/StaleIndexAlert';

/** The Groups tab: `/` shows the hierarchy, `/:namespace/:name` one group. */
export function GroupsRoutes() {
  return (
    <IdentityReadGate>
      <IndexFreshness />
      <Routes>
        <Route path="/" element={<GroupTreePage />} />
        <Route path="/:namespace/:name" element={<GroupDetailPage />} />
      </Routes>
    </IdentityReadGate>
  );
}
