import { screen, waitFor, within } from '@testing-library/react';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { IdentityPage } from './IdentityPage';

const route = { mountPath: '/identity/*' };

describe('IdentityPage (legacy frontend system)', () => {
  it('gives a user without identity.read nor reviews My access and nothing else', async () => {
    const api = mockIdentityApi();
    api.getReviewCampaigns.mockResolvedValue({ items: [] });
    await renderIdentity(<IdentityPage />, {
      api,
      deny: ['identity.read', 'identity.review.manage'],
      ...route,
      initialRoute: '/identity/users',
    });

    const table = await screen.findByRole('table', { name: 'My access' });
    expect(within(table).getAllByText('Denied')).toHaveLength(2);
    expect(screen.queryByRole('tab')).toBeNull();
    for (const tab of [
      'Users',
      'Groups',
      'Who can',
      'Policy dry-run',
      'Reviews',
    ]) {
      expect(screen.queryByText(tab)).toBeNull();
    }
    expect(screen.queryByRole('table', { name: 'Users' })).toBeNull();
    expect(
      screen.queryByText('You are not allowed to view identities'),
    ).toBeNull();
    expect(api.getUsers).not.toHaveBeenCalled();
    expect(api.getSummary).not.toHaveBeenCalled();
  });

  it('gives a reader every tab, My access among them', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<IdentityPage />, {
      api,
      ...route,
      initialRoute: '/identity/my-access',
    });

    expect(
      await screen.findByRole('table', { name: 'My access' }),
    ).toBeInTheDocument();
    const tabs = screen.getAllByRole('tab').map(tab => tab.textContent);
    expect(tabs).toEqual([
      'Users',
      'Groups',
      'My access',
      'Who can',
      'Check access',
      'Policy dry-run',
      'Reviews',
    ]);
    await waitFor(() => expect(api.getUsers).not.toHaveBeenCalled());
  });

  it('gives a reviewer without identity.read My access and Reviews only', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<IdentityPage />, {
      api,
      deny: ['identity.read', 'identity.review.manage'],
      ...route,
      initialRoute: '/identity/reviews',
    });

    expect(
      await screen.findByRole('table', { name: 'Access review campaigns' }),
    ).toBeInTheDocument();
    const tabs = screen.getAllByRole('tab').map(tab => tab.textContent);
    expect(tabs).toEqual(['My access', 'Reviews']);
    expect(screen.queryByRole('button', { name: 'Start campaign' })).toBeNull();
    expect(api.getUsers).not.toHaveBeenCalled();
    expect(api.getGroups).not.toHaveBeenCalled();
  });

  it('hides Reviews from a reader who neither manages nor has reviews', async () => {
    const api = mockIdentityApi();
    api.getReviewCampaigns.mockResolvedValue({ items: [] });
    await renderIdentity(<IdentityPage />, {
      api,
      deny: ['identity.review.manage'],
      ...route,
      initialRoute: '/identity/my-access',
    });
    await screen.findByRole('table', { name: 'My access' });
    expect(
      screen.getAllByRole('tab').map(tab => tab.textContent),
    ).not.toContain('Reviews');
  });
});
