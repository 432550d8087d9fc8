import { Route, Routes } from 'react-router-dom';
import { PlainRefsContext } from '../shared/plainRefs';
import { CampaignDetailPage } from './CampaignDetailPage';
import { CampaignListPage } from './CampaignListPage';
import { useReviewRole } from './useReviewRole';

/**
 * The Reviews tab: campaigns, and one campaign's items. Open to every
 * signed-in user: the backend shows each what is theirs (managers all
 * campaigns, reviewers those with items of theirs, others none), so it
 * needs no `identity.read`. Without it, users and groups are named
 * without links, which would lead nowhere.
 */
export function ReviewsTab() {
  const role = useReviewRole();
  return (
    <PlainRefsContext.Provider value={!role.reader}>
      <Routes>
        <Route path="/" element={<CampaignListPage />} />
        <Route path="/:campaignId" element={<CampaignDetailPage />} />
      </Routes>
    </PlainRefsContext.Provider>
  );
}
