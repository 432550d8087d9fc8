import { mockApis } from '@backstage/frontend-test-utils';
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
    // The rows were requested alongside the permission check (the backend
    // refuses them to this user); none of it is shown.
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByRole('region', { name: 'Summary' })).toBeNull();
    expect(screen.queryByText('ada.admin')).toBeNull();
  });

  it('requests the rows without waiting for the permission check', async () => {
    const api = mockIdentityApi();
    // A permission check that has not answered yet.
    const permissionApi = mockApis.permission.mock({
      authorize: () => new Promise(() => {}),
    });
    await renderIdentity(<UsersRoutes />, {
      api,
      permissionApi,
      mountPath: '/identity/users/*',
      initialRoute: '/identity/users',
    });
    expect(
      await screen.findByRole('table', { name: 'Users' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('ada.admin')).toBeInTheDocument();
    expect(api.getSummary).toHaveBeenCalled();
    expect(permissionApi.authorize).toHaveBeenCalled();
  });

  it('shows one not-allowed page when the backend refuses before the permission check answers', async () => {
    const api = mockIdentityApi();
    const denied = () => {
      const error = new Error('Not allowed: identity.read');
      error.name = 'NotAllowedError';
      return error;
    };
    api.getUsers.mockImplementation(async () => {
      throw denied();
    });
    api.getSummary.mockImplementation(async () => {
      throw denied();
    });
    await renderIdentity(<UsersRoutes />, {
      api,
      permissionApi: mockApis.permission.mock({
        authorize: () => new Promise(() => {}),
      }),
      mountPath: '/identity/users/*',
      initialRoute: '/identity/users',
    });
    expect(
      await screen.findByText('You are not allowed to view identities'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText('You are not allowed to view identities'),
    ).toHaveLength(1);
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByLabelText('Search users')).toBeNull();
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
    expect(screen.queryByRole('tree')).toBeNull();
    expect(screen.queryByText('platform-admins')).toBeNull();
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
