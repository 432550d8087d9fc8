import { identityApiRef as userIdentityApiRef } from '@backstage/core-plugin-api';
import { mockApis } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
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

/** The row of the review items table that names `person`. */
export async function itemRow(person: string): Promise<HTMLElement> {
  const table = await screen.findByRole('table', { name: 'Review items' });
  const row = within(table)
    .getAllByRole('row')
    .find(r => within(r).queryByText(person));
  if (!row) throw new Error(`No review item of ${person}`);
  return row;
}

/** A window that `window.open` hands out, recording what it is sent to. */
export function mockReportWindow() {
  const report = { location: { href: '' }, close: jest.fn() };
  const open = jest
    .spyOn(window, 'open')
    .mockImplementation(() => report as unknown as Window);
  return { report, open };
}
