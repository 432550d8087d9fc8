import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ninaAccess } from '../../__testUtils__/accessFixtures';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { CheckAccessPage } from './CheckAccessPage';

describe('Check access', () => {
  it('sends the user, the permission and the entity, and shows the decision and why', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<CheckAccessPage />, { api });

    await userEvent.type(
      await screen.findByLabelText('User'),
      'user:default/oscar.ordinary',
    );
    await userEvent.selectOptions(
      screen.getByLabelText('Permission'),
      'catalog.entity.delete',
    );
    await userEvent.type(
      screen.getByLabelText('Entity (optional)'),
      'component:default/web',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Check' }));

    const decision = await screen.findByRole('region', { name: 'Decision' });
    expect(api.checkAccess).toHaveBeenCalledWith({
      userEntityRef: 'user:default/oscar.ordinary',
      permission: 'catalog.entity.delete',
      resourceRef: 'component:default/web',
    });
    expect(within(decision).getByText('Denied')).toBeInTheDocument();
    expect(
      within(decision).getByText('Not in an allowed group'),
    ).toBeInTheDocument();
    expect(
      within(decision).getByText('not in an allowed group'),
    ).toBeInTheDocument();
    expect(
      within(decision).getByText('component:default/web'),
    ).toBeInTheDocument();
  });

  it('shows the path of a grant, and leaves out an empty entity', async () => {
    const api = mockIdentityApi();
    api.checkAccess.mockResolvedValue(ninaAccess.items[0]);
    await renderIdentity(<CheckAccessPage />, { api });

    await userEvent.type(await screen.findByLabelText('User'), 'nina.nested');
    await userEvent.click(screen.getByRole('button', { name: 'Check' }));

    const decision = await screen.findByRole('region', { name: 'Decision' });
    // The first guarded permission is chosen until another is picked.
    expect(api.checkAccess).toHaveBeenCalledWith({
      userEntityRef: 'nina.nested',
      permission: 'catalog.entity.delete',
    });
    expect(within(decision).getByText('Allowed')).toBeInTheDocument();
    expect(
      within(decision).getByLabelText(
        'Path: nina.nested → platform-admins-emea → platform-admins',
      ),
    ).toBeInTheDocument();
  });

  it('suggests users from the server search as one types', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<CheckAccessPage />, { api });
    await userEvent.type(await screen.findByLabelText('User'), 'ada');
    await waitFor(() =>
      expect(api.getUsers).toHaveBeenLastCalledWith({ q: 'ada', limit: 10 }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'ada.admin (Ada Admin)' }),
    );
    expect(screen.getByLabelText('User')).toHaveValue('user:default/ada.admin');
  });

  it("shows the backend's refusal verbatim", async () => {
    const api = mockIdentityApi();
    const error = Object.assign(new Error('Request failed with 400'), {
      name: 'ResponseError',
      cause: { name: 'InputError', message: 'Unknown permission: nope' },
    });
    api.checkAccess.mockRejectedValue(error);
    await renderIdentity(<CheckAccessPage />, { api });
    await userEvent.type(await screen.findByLabelText('User'), 'ada.admin');
    await userEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Unknown permission: nope',
    );
    expect(screen.queryByRole('region', { name: 'Decision' })).toBeNull();
  });
});
