import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { whoCanDelete } from '../../__testUtils__/accessFixtures';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { WhoCanPage } from './WhoCanPage';

const route = {
  mountPath: '/identity/who-can',
  initialRoute: '/identity/who-can?permission=catalog.entity.delete',
};

describe('Who can', () => {
  it('lists the users allowed the permission with the group and path that grant it', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<WhoCanPage />, { api, ...route });

    const table = await screen.findByRole('table', { name: 'Who can' });
    expect(api.getWhoCan).toHaveBeenCalledWith('catalog.entity.delete', {
      q: '',
      offset: 0,
      limit: 25,
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    // The user's own link first; the path links the user again.
    expect(
      within(rows[0]).getAllByRole('link', { name: 'ada.admin' })[0],
    ).toHaveAttribute('href', '/identity/users/default/ada.admin');
    expect(within(rows[0]).getByText(/Admin group/)).toBeInTheDocument();
    expect(
      within(rows[1]).getByLabelText(
        'Path: nina.nested → platform-admins-emea → platform-admins',
      ),
    ).toBeInTheDocument();
    // What grants it, from GET /access/permissions.
    expect(
      screen.getByText('Granted to admin groups platform-admins.'),
    ).toBeInTheDocument();
  });

  it('starts on the first guarded permission when the URL names none', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<WhoCanPage />, {
      api,
      mountPath: '/identity/who-can',
      initialRoute: '/identity/who-can',
    });
    await screen.findByRole('table', { name: 'Who can' });
    expect(api.getWhoCan).toHaveBeenCalledWith(
      'catalog.entity.delete',
      expect.anything(),
    );
    expect(screen.getByLabelText('Permission')).toHaveValue(
      'catalog.entity.delete',
    );
  });

  it('asks the server again for another permission, a search and a page', async () => {
    const api = mockIdentityApi();
    api.getWhoCan.mockImplementation(async (permission, query) => ({
      ...whoCanDelete,
      permission,
      totalItems: 60,
      offset: query?.offset ?? 0,
    }));
    await renderIdentity(<WhoCanPage />, { api, ...route });
    await screen.findByRole('table', { name: 'Who can' });

    await userEvent.selectOptions(
      screen.getByLabelText('Permission'),
      'identity.read',
    );
    await waitFor(() =>
      expect(api.getWhoCan).toHaveBeenLastCalledWith('identity.read', {
        q: '',
        offset: 0,
        limit: 25,
      }),
    );
    expect(
      await screen.findByText(
        'Granted to admin groups platform-admins; identityPolicy.rules[1]: sre.',
      ),
    ).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Search users'), 'nina');
    await waitFor(() =>
      expect(api.getWhoCan).toHaveBeenLastCalledWith('identity.read', {
        q: 'nina',
        offset: 0,
        limit: 25,
      }),
    );
    // Debounced: not one request per key.
    expect(
      api.getWhoCan.mock.calls.filter(([, query]) => query?.q === 'n'),
    ).toHaveLength(0);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Next page' }),
    );
    await waitFor(() =>
      expect(api.getWhoCan).toHaveBeenLastCalledWith('identity.read', {
        q: 'nina',
        offset: 25,
        limit: 25,
      }),
    );
  });

  it('exports everyone allowed the permission as CSV, whatever the search', async () => {
    const api = mockIdentityApi();
    const createObjectURL = jest.fn(() => 'blob:csv');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    await renderIdentity(<WhoCanPage />, {
      api,
      mountPath: '/identity/who-can',
      initialRoute: '/identity/who-can?permission=catalog.entity.delete&q=ni',
    });
    await screen.findByRole('table', { name: 'Who can' });
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() =>
      expect(api.exportWhoCanCsv).toHaveBeenCalledWith('catalog.entity.delete'),
    );
    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());
  });

  it('says when nobody matches', async () => {
    const api = mockIdentityApi();
    api.getWhoCan.mockResolvedValue({
      ...whoCanDelete,
      items: [],
      totalItems: 0,
    });
    await renderIdentity(<WhoCanPage />, { api, ...route });
    expect(await screen.findByText('Nobody is listed')).toBeInTheDocument();
  });
});
