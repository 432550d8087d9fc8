import { screen, within } from '@testing-library/react';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { GroupDetailPage } from './GroupDetailPage';
import { GroupTreePage } from './GroupTreePage';

describe('groups', () => {
  it('shows the hierarchy as a tree with direct and total counts', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<GroupTreePage />, { api });

    const tree = await screen.findByRole('tree', { name: 'Group hierarchy' });
    const parent = within(tree)
      .getByRole('link', { name: 'platform-admins' })
      .closest('li')!;
    expect(within(parent).getByText('1 direct · 2 total')).toBeInTheDocument();
    // The child is nested inside its parent's tree item.
    expect(
      within(parent).getByRole('link', { name: 'Platform admins EMEA' }),
    ).toHaveAttribute('href', '/identity/groups/default/platform-admins-emea');
  });

  it('shows a group with its direct and inherited members', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<GroupDetailPage />, {
      api,
      mountPath: '/identity/groups/:namespace/:name',
      initialRoute: '/identity/groups/default/platform-admins',
    });

    const table = await screen.findByRole('table', { name: 'Members' });
    expect(api.getGroup).toHaveBeenCalledWith(
      { namespace: 'default', name: 'platform-admins' },
      { offset: 0, limit: 50 },
    );
    const row = within(table)
      .getAllByRole('link', { name: 'nina.nested' })[0]
      .closest('tr')!;
    expect(within(row).getByText('Inherited')).toBeInTheDocument();
    expect(
      within(row).getByLabelText(
        'Path: nina.nested → platform-admins-emea → platform-admins',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Members in the users table' }),
    ).toHaveAttribute(
      'href',
      '/identity/users?group=group%3Adefault%2Fplatform-admins',
    );
  });
});
