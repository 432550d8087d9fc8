import { screen } from '@testing-library/react';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { UsersRoutes } from './UsersRoutes';
import { GroupsRoutes } from '../GroupsPage/GroupsRoutes';

describe('the identity.read gate', () => {
  it('shows the not-allowed page, not an empty table, without identity.read', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UsersRoutes />, {
      api,
      deny: ['identity.read'],
      mountPath: '/identity/users/*',
      initialRoute: '/identity/users',
    });
    expect(
      await screen.findByText('You are not allowed to view identities'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
    expect(api.getUsers).not.toHaveBeenCalled();
    expect(api.getSummary).not.toHaveBeenCalled();
  });

  it('gates the groups tab too', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<GroupsRoutes />, {
      api,
      deny: ['identity.read'],
      mountPath: '/identity/groups/*',
      initialRoute: '/identity/groups',
    });
    expect(
      await screen.findByText('You are not allowed to view identities'),
    ).toBeInTheDocument();
    expect(api.getGroups).not.toHaveBeenCalled();
  });

  it('shows the not-allowed page when the backend answers 403', async () => {
    const api = mockIdentityApi();
    const denied = new Error('Not allowed: identity.read');
    denied.name = 'NotAllowedError';
    api.getUser.mockRejectedValue(denied);
    await renderIdentity(<UsersRoutes />, {
      api,
      mountPath: '/identity/users/*',
      initialRoute: '/identity/users/default/ada.admin',
    });
    expect(
      await screen.findByText('You are not allowed to view identities'),
    ).toBeInTheDocument();
  });

  it('routes to the list and to a user detail', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UsersRoutes />, {
      api,
      mountPath: '/identity/users/*',
      initialRoute: '/identity/users/default/nina.nested',
    });
    expect(
      await screen.findByRole('table', { name: 'Memberships' }),
    ).toBeInTheDocument();
  });
});
