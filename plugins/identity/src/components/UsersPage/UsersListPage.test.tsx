import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { UsersListPage } from './UsersListPage';
import { SEARCH_URL_DELAY_MS } from './useSearchUrlSync';

function ShowLocation() {
  return <output aria-label="URL query">{useLocation().search}</output>;
}

/** An API whose answer to a search for `q` waits until `release()`. */
function mockApiHoldingSearch(q: string) {
  const api = mockIdentityApi();
  const answer = api.getUsers.getMockImplementation()!;
  let release!: () => void;
  const released = new Promise<void>(resolve => {
    release = resolve;
  });
  api.getUsers.mockImplementation(async query => {
    if (query.q === q) await released;
    return answer(query);
  });
  return { api, release };
}

/** The page with its URL query beside it, read as "URL query". */
function renderShowingLocation(
  api: ReturnType<typeof mockIdentityApi>,
  initialRoute: string,
) {
  return renderIdentity(
    <>
      <UsersListPage />
      <ShowLocation />
    </>,
    { api, mountPath: '/identity/users', initialRoute },
  );
}

describe('UsersListPage', () => {
  it('renders the rows, their groups and flags from the API', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UsersListPage />, {
      api,
      mountPath: '/identity/users',
      initialRoute: '/identity/users',
    });

    const table = await screen.findByRole('table', { name: 'Users' });
    const ada = (await within(table).findByText('ada.admin')).closest('tr')!;
    expect(within(ada).getByText('Ada Admin')).toBeInTheDocument();
    expect(within(ada).getByText('ada@example.com')).toBeInTheDocument();
    expect(
      within(ada).getByRole('link', { name: 'platform-admins' }),
    ).toHaveAttribute('href', '/identity/groups/default/platform-admins');
    expect(
      within(ada).getByRole('link', { name: 'ada.admin' }),
    ).toHaveAttribute('href', '/identity/users/default/ada.admin');

    const olive = within(table).getByText('olive.orphan').closest('tr')!;
    expect(within(olive).getByText('Orphaned')).toBeInTheDocument();
    expect(within(olive).getByText('No groups')).toBeInTheDocument();

    expect(api.getUsers).toHaveBeenCalledWith(
      expect.objectContaining({ offset: 0, limit: 25, status: [] }),
    );
  });

  it('sends the search once typing pauses, from the first page', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UsersListPage />, {
      api,
      mountPath: '/identity/users',
      initialRoute: '/identity/users?offset=25',
    });
    await screen.findByText('ada.admin');
    expect(api.getUsers).toHaveBeenLastCalledWith(
      expect.objectContaining({ offset: 25 }),
    );

    await userEvent.type(screen.getByLabelText('Search users'), 'olive');

    await waitFor(() =>
      expect(api.getUsers).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: 'olive', offset: 0 }),
      ),
    );
    // Debounced: no request went out for a partial word, and one for the
    // word (started as the URL changed, taken by the page that renders it).
    const queries = api.getUsers.mock.calls.map(([query]) => query.q);
    expect(queries).not.toContain('o');
    expect(queries).not.toContain('oliv');
    expect(queries.filter(q => q === 'olive')).toHaveLength(1);
    expect(await screen.findByText('ada.admin')).toBeInTheDocument();
  });

  it('shows a search before it writes it to the URL', async () => {
    const { api, release } = mockApiHoldingSearch('olive');
    await renderShowingLocation(api, '/identity/users?source=file');
    await screen.findByText('ada.admin');

    await userEvent.type(screen.getByLabelText('Search users'), 'olive');
    await waitFor(() =>
      expect(api.getUsers).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: 'olive', source: 'file' }),
      ),
    );
    // The rows are on their way: the URL waits for them.
    expect(screen.getByLabelText('URL query')).toHaveTextContent(
      '?source=file',
    );

    release();
    // Shown, and then written once the user has left the page alone for a
    // while (SEARCH_URL_DELAY_MS).
    expect(await screen.findByText('olive.orphan')).toBeInTheDocument();
    expect(screen.getByLabelText('URL query')).toHaveTextContent(
      '?source=file',
    );
    await waitFor(
      () =>
        expect(screen.getByLabelText('URL query')).toHaveTextContent(
          '?q=olive&source=file',
        ),
      { timeout: SEARCH_URL_DELAY_MS + 2000 },
    );
    expect(screen.getByLabelText('Search users')).toHaveValue('olive');
    expect(
      api.getUsers.mock.calls.filter(([query]) => query.q === 'olive'),
    ).toHaveLength(1);
  });

  it('writes a shown search to the URL at once when the user presses anywhere, before a link can leave the page', async () => {
    const api = mockIdentityApi();
    const answer = api.getUsers.getMockImplementation()!;
    api.getUsers.mockImplementation(async query => {
      const page = await answer(query);
      return query.q
        ? {
            ...page,
            items: page.items.filter(u => u.name.includes(query.q!)),
            totalItems: 1,
          }
        : page;
    });
    await renderShowingLocation(api, '/identity/users');
    await screen.findByText('ada.admin');

    await userEvent.type(screen.getByLabelText('Search users'), 'olive');
    const table = screen.getByRole('table', { name: 'Users' });
    await waitFor(() =>
      expect(within(table).queryByText('ada.admin')).not.toBeInTheDocument(),
    );
    // Typing does not write it; a press anywhere does, in the same event.
    await userEvent.type(
      screen.getByLabelText('Search users'),
      'x{Backspace}',
      {
        skipClick: true,
      },
    );
    expect(screen.getByLabelText('URL query').textContent).toBe('');
    fireEvent.pointerDown(within(table).getByText('olive.orphan'));
    expect(screen.getByLabelText('URL query')).toHaveTextContent('?q=olive');
  });

  it('writes a search whose rows are still coming on a press too, so the back button returns to what the box says', async () => {
    const { api, release } = mockApiHoldingSearch('olive');
    await renderShowingLocation(api, '/identity/users');
    await screen.findByText('ada.admin');

    await userEvent.type(screen.getByLabelText('Search users'), 'olive');
    await waitFor(() =>
      expect(api.getUsers).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: 'olive' }),
      ),
    );
    expect(screen.getByLabelText('URL query').textContent).toBe('');
    fireEvent.pointerDown(screen.getByText('ada.admin'));
    expect(screen.getByLabelText('URL query')).toHaveTextContent('?q=olive');

    release();
    expect(await screen.findByText('olive.orphan')).toBeInTheDocument();
    expect(
      api.getUsers.mock.calls.filter(([query]) => query.q === 'olive'),
    ).toHaveLength(1);
  });

  it('reads the group tree once the group picker is used, not on every visit', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UsersListPage />, {
      api,
      mountPath: '/identity/users',
      initialRoute: '/identity/users',
    });
    await screen.findByText('ada.admin');
    expect(api.getGroups).not.toHaveBeenCalled();

    await userEvent.click(
      screen.getByRole('textbox', { name: 'Group (direct or inherited)' }),
    );
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'Platform admins EMEA (platform-admins-emea)',
      }),
    );
    await waitFor(() =>
      expect(api.getUsers).toHaveBeenLastCalledWith(
        expect.objectContaining({
          group: 'group:default/platform-admins-emea',
        }),
      ),
    );
    expect(api.getGroups).toHaveBeenCalledTimes(1);
  });

  it('takes its filters from the URL, so a shared link shows the same view', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UsersListPage />, {
      api,
      mountPath: '/identity/users',
      initialRoute:
        '/identity/users?q=ad&source=file&status=orphaned&status=noGroups&group=group%3Adefault%2Fsre&sort=email&order=desc&limit=10&offset=10&status=bogus',
    });
    await screen.findByText('ada.admin');
    expect(api.getUsers).toHaveBeenCalledWith({
      q: 'ad',
      source: 'file',
      status: ['orphaned', 'noGroups'],
      group: 'group:default/sre',
      sort: 'email',
      order: 'desc',
      limit: 10,
      offset: 10,
    });
    expect(screen.getByLabelText('Search users')).toHaveValue('ad');
  });

  it('filters by a status when its summary tile is clicked, and clears it on a second click', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UsersListPage />, {
      api,
      mountPath: '/identity/users',
      initialRoute: '/identity/users',
    });
    const tile = await screen.findByRole('button', { name: 'Orphaned: 1' });
    await userEvent.click(tile);
    await waitFor(() =>
      expect(api.getUsers).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: ['orphaned'] }),
      ),
    );
    expect(screen.getByRole('button', { name: 'Orphaned: 1' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    await userEvent.click(screen.getByRole('button', { name: 'File: 2' }));
    await waitFor(() =>
      expect(api.getUsers).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: ['orphaned'], source: 'file' }),
      ),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Orphaned: 1' }));
    await waitFor(() =>
      expect(api.getUsers).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: [], source: 'file' }),
      ),
    );
  });

  it('sorts on the server when a column header is clicked', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UsersListPage />, {
      api,
      mountPath: '/identity/users',
      initialRoute: '/identity/users',
    });
    await screen.findByText('ada.admin');
    await userEvent.click(screen.getByRole('button', { name: 'Email' }));
    await waitFor(() =>
      expect(api.getUsers).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'email', order: 'asc' }),
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Email' }));
    await waitFor(() =>
      expect(api.getUsers).toHaveBeenLastCalledWith(
        expect.objectContaining({ sort: 'email', order: 'desc' }),
      ),
    );
  });

  it('says so when nothing matches', async () => {
    const api = mockIdentityApi();
    api.getUsers.mockResolvedValue({
      items: [],
      totalItems: 0,
      offset: 0,
      limit: 25,
    });
    await renderIdentity(<UsersListPage />, {
      api,
      mountPath: '/identity/users',
      initialRoute: '/identity/users?q=nobody',
    });
    expect(await screen.findByText('No users match')).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    const api = mockIdentityApi();
    api.getUsers.mockRejectedValue(new Error('index unavailable'));
    await renderIdentity(<UsersListPage />, {
      api,
      mountPath: '/identity/users',
      initialRoute: '/identity/users',
    });
    expect(
      (await screen.findAllByText(/index unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table', { name: 'Users' })).toBeNull();
  });
});
