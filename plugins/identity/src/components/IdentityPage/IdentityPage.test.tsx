import { screen, waitFor, within } from '@testing-library/react';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { IdentityPage } from './IdentityPage';

const route = { mountPath: '/identity/*' };

describe('IdentityPage (legacy frontend system)', () => {
  it('gives a user without identity.read My access and nothing else', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<IdentityPage />, {
      api,
      deny: ['identity.read'],
      ...route,
      initialRoute: '/identity/users',
    });

    const table = await screen.findByRole('table', { name: 'My access' });
    expect(within(table).getAllByText('Denied')).toHaveLength(2);
    expect(screen.queryByRole('tab')).toBeNull();
    for (const tab of ['Users', 'Groups', 'Who can', 'Policy dry-run']) {
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
    ]);
    await waitFor(() => expect(api.getUsers).not.toHaveBeenCalled());
  });
});
