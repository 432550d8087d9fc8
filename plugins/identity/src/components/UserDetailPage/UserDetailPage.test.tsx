import { mockApis } from '@backstage/frontend-test-utils';
import { alertApiRef } from '@backstage/core-plugin-api';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockIdentityApi, nina, sam } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { IdentityUserDetail } from '@identity-governance/plugin-identity-common';
import { UserDetailPage } from './UserDetailPage';

const route = {
  mountPath: '/identity/users/:namespace/:name',
  initialRoute: '/identity/users/default/nina.nested',
};

/** Nina's detail page, her detail extended with `extra`. */
async function renderNinaWith(extra: Partial<IdentityUserDetail>) {
  const api = mockIdentityApi();
  api.getUser.mockResolvedValue({ ...nina, ...extra });
  await renderIdentity(<UserDetailPage />, { api, ...route });
}

describe('UserDetailPage', () => {
  it('shows direct and inherited memberships with the inherited path', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UserDetailPage />, { api, ...route });

    const table = await screen.findByRole('table', { name: 'Memberships' });
    expect(api.getUser).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'nina.nested',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    // Direct first.
    expect(within(rows[0]).getByText('Direct')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Inherited')).toBeInTheDocument();
    const path = within(rows[1]).getByLabelText(
      'Path: nina.nested → platform-admins-emea → platform-admins',
    );
    expect(
      within(path).getByRole('link', { name: 'platform-admins-emea' }),
    ).toHaveAttribute('href', '/identity/groups/default/platform-admins-emea');
  });

  it('shows memberships that do not count, with their reason and source', async () => {
    await renderNinaWith({
      uncountedMemberships: [
        {
          groupRef: 'group:default/legacy-admins',
          reason: 'untrusted-origin',
          path: ['user:default/nina.nested', 'group:default/legacy-admins'],
          declaredBy: 'group:default/legacy-admins',
          origin: 'file:/tmp/legacy-hr-export.yaml',
          reaches: ['group:default/platform-admins'],
        },
        {
          groupRef: 'group:default/platform-admins',
          reason: 'other-directory',
          path: ['user:default/nina.nested', 'group:default/platform-admins'],
          declaredBy: 'user:default/nina.nested',
          origin: 'scim:entra',
          directory: 'entra',
        },
      ],
    });

    const table = await screen.findByRole('table', {
      name: 'Memberships that do not count',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText('Untrusted origin')).toBeInTheDocument();
    expect(within(rows[0]).getByText(/no directory/)).toBeInTheDocument();
    expect(
      within(rows[0]).getByText('would reach platform-admins'),
    ).toBeInTheDocument();
    expect(
      within(rows[0]).getByText(/file:\/tmp\/legacy-hr-export\.yaml/),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).getByText("Another directory's group"),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText(/directory entra/)).toBeInTheDocument();
    // Not among the memberships that count.
    const counted = screen.getByRole('table', { name: 'Memberships' });
    expect(within(counted).queryByText('legacy-admins')).toBeNull();
  });

  it('warns when a SCIM record is held back for claiming the user', async () => {
    await renderNinaWith({
      sourceConflicts: [
        {
          idp: 'entra',
          resourceType: 'User',
          resourceId: 'scim-9',
          entityRef: 'user:default/nina.nested',
          otherOrigin: 'file:/demo/examples/org.yaml',
          detectedAt: '2026-12-02T10:00:00Z',
        },
      ],
    });
    const alert = await screen.findByRole('region', {
      name: 'Source conflicts',
    });
    expect(alert).toHaveTextContent('Another source claims this user');
    expect(alert).toHaveTextContent(/scim-9 of identity provider entra/);
    expect(alert).toHaveTextContent(/file:\/demo\/examples\/org\.yaml/);
  });

  it('shows no such card when every declared membership counts', async () => {
    await renderIdentity(<UserDetailPage />, {
      api: mockIdentityApi(),
      ...route,
    });
    await screen.findByRole('table', { name: 'Memberships' });
    expect(
      screen.queryByRole('table', { name: 'Memberships that do not count' }),
    ).toBeNull();
    expect(
      screen.queryByRole('region', { name: 'Source conflicts' }),
    ).toBeNull();
  });

  it('shows the provenance in full and links to the catalog entity', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UserDetailPage />, { api, ...route });

    expect(
      await screen.findByRole('link', { name: /Open in catalog/ }),
    ).toHaveAttribute('href', '/catalog/default/user/nina.nested');
    expect(
      screen.getAllByText('file:/demo/examples/org.yaml').length,
    ).toBeGreaterThan(0);
    expect(screen.getByText(/spec\.memberOf is broken/)).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'location:default/generated-org' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Not provisioned through SCIM/),
    ).toBeInTheDocument();
  });

  it('shows the provisioning history the SCIM module recorded', async () => {
    const api = mockIdentityApi();
    api.getUser.mockResolvedValue(sam);
    await renderIdentity(<UserDetailPage />, {
      api,
      mountPath: '/identity/users/:namespace/:name',
      initialRoute: '/identity/users/default/sam.scim',
    });

    const provisioning = await screen.findByRole('table', {
      name: 'Provisioning history',
    });
    expect(within(provisioning).getByText('scim-id-sam')).toBeInTheDocument();

    const changes = screen.getByRole('table', { name: 'Provisioning changes' });
    const [header, ...rows] = within(changes).getAllByRole('row');
    expect(
      within(header)
        .getAllByRole('columnheader')
        .map(cell => cell.textContent),
    ).toEqual(['When', 'Action', 'IdP', 'By']);
    expect(rows.map(row => row.textContent)).toEqual([
      '2025-02-01T00:00:00.000Zdeactivatedentraada.admin',
      '2025-01-01T00:00:00.000Zcreatedentraentra',
    ]);
    // Who offboarded the user links to their own detail page.
    expect(
      within(rows[0]).getByRole('link', { name: 'ada.admin' }),
    ).toHaveAttribute('href', '/identity/users/default/ada.admin');
    expect(screen.queryByText(/Not provisioned through SCIM/)).toBeNull();
  });

  it('shows the annotations alone when there is no SCIM history', async () => {
    const api = mockIdentityApi();
    const { history: _, ...annotationsOnly } = sam.provenance.provisioning!;
    api.getUser.mockResolvedValue({
      ...sam,
      provenance: { ...sam.provenance, provisioning: annotationsOnly },
    });
    await renderIdentity(<UserDetailPage />, {
      api,
      mountPath: '/identity/users/:namespace/:name',
      initialRoute: '/identity/users/default/sam.scim',
    });

    await screen.findByRole('table', { name: 'Provisioning history' });
    expect(
      screen.queryByRole('table', { name: 'Provisioning changes' }),
    ).toBeNull();
  });

  it('hides refresh and offboard without the permissions', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UserDetailPage />, {
      api,
      ...route,
      deny: ['identity.user.offboard', 'catalog.entity.refresh'],
    });
    await screen.findByRole('table', { name: 'Memberships' });
    expect(screen.queryByRole('button', { name: /Offboard/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Refresh/ })).toBeNull();
  });

  it('shows only the actions the policy allows', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<UserDetailPage />, {
      api,
      ...route,
      deny: ['identity.user.offboard'],
    });
    expect(
      await screen.findByRole('button', { name: /Refresh/ }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Offboard/ })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: /Refresh/ }));
    await waitFor(() =>
      expect(api.refresh).toHaveBeenCalledWith({
        namespace: 'default',
        name: 'nina.nested',
      }),
    );
  });

  it('previews the offboarding before performing it', async () => {
    const api = mockIdentityApi();
    const alertApi = mockApis.alert();
    await renderIdentity(<UserDetailPage />, {
      api,
      ...route,
      apis: [[alertApiRef, alertApi]],
    });

    await userEvent.click(
      await screen.findByRole('button', { name: /Offboard/ }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/it will come back at the next refresh/),
    ).toBeInTheDocument();
    expect(api.previewOffboard).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'nina.nested',
    });
    expect(api.offboard).not.toHaveBeenCalled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() =>
      expect(api.offboard).toHaveBeenCalledWith({
        namespace: 'default',
        name: 'nina.nested',
      }),
    );
    await waitFor(() =>
      expect(alertApi.getAlerts()).toContainEqual(
        expect.objectContaining({
          message: 'Deleted user:default/nina.nested',
        }),
      ),
    );
  });
});
