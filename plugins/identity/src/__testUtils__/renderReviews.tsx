import { identityApiRef as userIdentityApiRef } from '@backstage/core-plugin-api';
import { mockApis } from '@backstage/frontend-test-utils';
import { IdentityApi } from '../api';
import { ReviewsTab } from '../components/ReviewsPage/ReviewsTab';
import { renderIdentity } from './renderIdentity';

/**
 * The Reviews tab at `path` under `/identity/reviews`, signed in as `user`:
 * a manager unless `identity.review.manage` is in `deny`.
 */
export function renderReviews(
  path: string,
  options: { api: IdentityApi; user: string; deny?: string[] },
) {
  return renderIdentity(<ReviewsTab />, {
    api: options.api,
    deny: options.deny,
    mountPath: '/identity/reviews/*',
    initialRoute: `/identity/reviews${path}`,
    apis: [
      [userIdentityApiRef, mockApis.identity({ userEntityRef: options.user })],
    ],
  });
}

/** A reviewer without `identity.read`, who manages nothing. */
export const REVIEWER_ONLY = ['identity.read', 'identity.review.manage'];
