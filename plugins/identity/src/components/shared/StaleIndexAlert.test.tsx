import { screen, within } from '@testing-library/react';
import { mockIdentityApi, summary } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { GroupsRoutes } from '../GroupsPage/GroupsRoutes';
import { UsersListPage } from '../UsersPage/UsersListPage';

const failing = {
  ...summary,
  stale: true,
  indexedAt: '2026-12-04T03:00:00.000Z',
  refreshFailure: {
    since: '2026-12-04T03:01:00.000Z',
    at: '2026-12-04T03:09:00.000Z',
    message: 'Error: connect ECONNREFUSED 127.0.0.1:7007',
  },
};

const at = (iso: string) => new Date(iso).toLocaleString();

describe('StaleIndexAlert', () => {
  it('says nothing while the index is fresh', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UsersListPage />, {
      api,
      mountPath: '/identity/users',
      initialRoute: '/identity/users',
    });
    await screen.findByRole('table', { name: 'Users' });
    await screen.findByRole('region', { name: 'Summary' });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says the users are as of the last refresh, and why none since, above rows it keeps showing', async () => {
    const api = mockIdentityApi();
    api.getSummary.mockResolvedValue(failing);
    await renderIdentity(<UsersListPage />, {
      api,
      mountPath: '/identity/users',
      initialRoute: '/identity/users',
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      `Identity data is stale: it shows the catalog as of ${at(
        failing.indexedAt,
      )}`,
    );
    expect(alert).toHaveTextContent(
      `Refreshing it from the catalog has failed since ${at(
        failing.refreshFailure.since,
      )} (last at ${at(failing.refreshFailure.at)})`,
    );
    expect(
      within(alert).getByText('Error: connect ECONNREFUSED 127.0.0.1:7007'),
    ).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Users' });
    expect(within(table).getByText('ada.admin')).toBeInTheDocument();
  });

  it('says so on the Groups tab too, and when no refresh finished for too long', async () => {
    const api = mockIdentityApi();
    api.getSummary.mockResolvedValue({
      ...summary,
      stale: true,
      refreshFailure: undefined,
    });
    await renderIdentity(<GroupsRoutes />, {
      api,
      mountPath: '/identity/groups/*',
      initialRoute: '/identity/groups',
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'No refresh has finished since, longer than identity.refresh.staleAfter allows',
    );
    expect(
      await screen.findByRole('tree', { name: 'Group hierarchy' }),
    ).toBeInTheDocument();
  });

  it('says the index was never built', async () => {
    const api = mockIdentityApi();
    api.getSummary.mockResolvedValue({
      ...failing,
      indexedAt: undefined,
    });
    await renderIdentity(<GroupsRoutes />, {
      api,
      mountPath: '/identity/groups/*',
      initialRoute: '/identity/groups',
    });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The identity index has not been built yet',
    );
    expect(alert).toHaveTextContent('Building it from the catalog has failed');
  });
});
