import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ninaAccess } from '../../__testUtils__/accessFixtures';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { UsersRoutes } from '../UsersPage/UsersRoutes';
import { MyAccessPage } from './MyAccessPage';

function rowOf(table: HTMLElement, permission: string) {
  const row = within(table)
    .getAllByRole('row')
    .find(r => within(r).queryByText(permission));
  if (!row) throw new Error(`no row for ${permission}`);
  return row;
}

describe("a user's Access tab", () => {
  it('explains each guarded permission: chip, deciding group, reason and the path with its sources', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UsersRoutes />, {
      api,
      mountPath: '/identity/users/*',
      initialRoute: '/identity/users/default/nina.nested/access',
    });

    const table = await screen.findByRole('table', { name: 'Access' });
    expect(api.getUserAccess).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'nina.nested',
    });
    // The memberships are on the other tab.
    expect(screen.queryByRole('table', { name: 'Memberships' })).toBeNull();
    expect(screen.getByRole('tab', { name: 'Access' })).toHaveAttribute(
      'aria-selected',
      'true',
    );

    const del = rowOf(table, 'catalog.entity.delete');
    expect(within(del).getByText('Allowed')).toBeInTheDocument();
    expect(
      within(del)
        .getByText(/Admin group/)
        .querySelector('a'),
    ).toHaveAttribute('href', '/identity/groups/default/platform-admins');
    expect(
      within(del).getByText(
        'admin group group:default/platform-admins via group:default/platform-admins-emea',
      ),
    ).toBeInTheDocument();
    expect(
      within(del).getByLabelText(
        'Path: nina.nested → platform-admins-emea → platform-admins',
      ),
    ).toBeInTheDocument();
    const sources = within(del).getByRole('list', { name: 'Path sources' });
    expect(within(sources).getAllByRole('listitem')[0]).toHaveTextContent(
      'nina.nested → platform-admins-emea: declared by nina.nested, origin file:../../examples/demo-org/org.yaml, directory demo-files',
    );

    const offboard = rowOf(table, 'identity.user.offboard');
    expect(within(offboard).getByText('Conditional')).toBeInTheDocument();
    expect(
      within(offboard).getByText(/owners of the entity only/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('1 of 2 guarded permissions allowed, 1 conditional'),
    ).toBeInTheDocument();
  });

  it('switches between memberships and access by link', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UsersRoutes />, {
      api,
      mountPath: '/identity/users/*',
      initialRoute: '/identity/users/default/nina.nested',
    });
    expect(
      await screen.findByRole('table', { name: 'Memberships' }),
    ).toBeInTheDocument();
    expect(api.getUserAccess).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('tab', { name: 'Access' }));
    expect(
      await screen.findByRole('table', { name: 'Access' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Memberships' })).toBeNull();
  });
});

describe('My access', () => {
  it("shows the caller's denials with the reasons and the memberships that did not count", async () => {
    const api = mockIdentityApi();
    await renderIdentity(<MyAccessPage />, { api, deny: ['identity.read'] });

    const table = await screen.findByRole('table', { name: 'My access' });
    expect(api.getMyAccess).toHaveBeenCalled();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(within(row).getByText('Denied')).toBeInTheDocument();
      expect(
        within(row).getByText('Not in an allowed group'),
      ).toBeInTheDocument();
    }
    const refresh = rowOf(table, 'catalog.entity.refresh');
    expect(
      within(refresh).getByText(
        'not in an allowed group; 1 memberships of untrusted origin ignored',
      ),
    ).toBeInTheDocument();
    expect(
      within(
        within(refresh).getByRole('list', { name: 'Memberships not counted' }),
      ).getByRole('listitem'),
    ).toHaveTextContent(
      'sre, declared by oscar.ordinary (url:https://example.com/rogue.yaml): declared by an entity outside the trusted origins',
    );
    expect(
      screen.getByText('oscar.ordinary: 0 of 2 guarded permissions allowed'),
    ).toBeInTheDocument();
    // Nothing needing identity.read was asked for.
    expect(api.getUsers).not.toHaveBeenCalled();
    expect(api.getUserAccess).not.toHaveBeenCalled();
  });

  it('names groups without links for a user who may not open them, with links for a reader', async () => {
    const path = 'Path: nina.nested → platform-admins-emea → platform-admins';
    const api = mockIdentityApi();
    api.getMyAccess.mockResolvedValue(ninaAccess);
    const nonReader = await renderIdentity(<MyAccessPage />, {
      api,
      deny: ['identity.read'],
    });
    const plainTable = await screen.findByRole('table', { name: 'My access' });
    await waitFor(() =>
      expect(within(plainTable).getByLabelText(path)).toHaveTextContent(
        'nina.nested → platform-admins-emea → platform-admins',
      ),
    );
    expect(within(plainTable).queryAllByRole('link')).toHaveLength(0);
    nonReader.unmount();

    await renderIdentity(<MyAccessPage />, { api });
    const table = await screen.findByRole('table', { name: 'My access' });
    await waitFor(() =>
      expect(
        within(within(table).getByLabelText(path)).getByRole('link', {
          name: 'platform-admins-emea',
        }),
      ).toHaveAttribute(
        'href',
        '/identity/groups/default/platform-admins-emea',
      ),
    );
  });

  it('tells a guest, or anyone the catalog does not know, that they belong to no group', async () => {
    const api = mockIdentityApi();
    api.getMyAccess.mockResolvedValue({
      userEntityRef: 'user:development/guest',
      userFound: false,
      items: [
        {
          permission: 'catalog.entity.delete',
          result: 'deny',
          decidedBy: { kind: 'not-in-allowed-group' },
          reason: 'not in an allowed group (no such user in the catalog)',
        },
      ],
    });
    await renderIdentity(<MyAccessPage />, { api, deny: ['identity.read'] });
    const table = await screen.findByRole('table', { name: 'My access' });
    expect(within(table).getByText('Denied')).toBeInTheDocument();
    expect(
      screen.getByText(
        'The catalog has no user user:development/guest, so you belong to no group.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('development/guest: 0 of 1 guarded permissions allowed'),
    ).toBeInTheDocument();
  });

  it('shows a failure to read the access', async () => {
    const api = mockIdentityApi();
    api.getMyAccess.mockRejectedValue(new Error('catalog unreachable'));
    await renderIdentity(<MyAccessPage />, { api });
    // The error panel names it in its title and its stack trace.
    expect(
      (await screen.findAllByText(/catalog unreachable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).toBeNull();
  });
});
