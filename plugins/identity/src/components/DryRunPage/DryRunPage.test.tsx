import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { guardedPermissions } from '../../__testUtils__/accessFixtures';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import { renderIdentity } from '../../__testUtils__/renderIdentity';
import { DryRunPage } from './DryRunPage';
import { exampleProposal } from './exampleProposal';

describe('Policy dry-run', () => {
  it('starts from the live admin groups and rules', () => {
    expect(exampleProposal(guardedPermissions)).toBe(
      [
        '# A proposed identityPolicy block. Nothing is saved: Run shows who would',
        '# gain or lose each guarded permission against the live organisation.',
        '# It starts as the live admin groups and rules; try adding a group.',
        'identityPolicy:',
        '  adminGroups:',
        '    - group:default/platform-admins',
        '    # - group:default/another-group',
        '  rules:',
        '    - permission: catalog.entity.refresh',
        '      allowGroups: [group:default/sre]',
        '    - permission: identity.read',
        '      allowGroups: [group:default/sre]',
        '',
      ].join('\n'),
    );
  });

  it('runs the edited proposal and lists gains and losses per permission', async () => {
    const api = mockIdentityApi();
    await renderIdentity(<DryRunPage />, { api });

    const yaml = await screen.findByLabelText('Proposed identityPolicy (YAML)');
    expect(yaml).toHaveValue(exampleProposal(guardedPermissions));
    await userEvent.clear(yaml);
    // userEvent reads [ and { as key descriptors; [[ types a bracket.
    await userEvent.type(
      yaml,
      'adminGroups: [[group:default/platform-admins, group:default/sre]',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));

    const results = await screen.findByRole('region', {
      name: 'Dry-run results',
    });
    expect(api.dryRun).toHaveBeenCalledWith({
      yaml: 'adminGroups: [group:default/platform-admins, group:default/sre]',
    });
    const del = within(results).getByRole('region', {
      name: 'Changes to catalog.entity.delete',
    });
    expect(within(del).getByText('1 would gain')).toBeInTheDocument();
    expect(within(del).getByText('0 would lose')).toBeInTheDocument();
    const gains = within(del).getByRole('list', { name: 'Would gain' });
    expect(
      within(gains).getAllByRole('link', { name: 'sam.sre' })[0],
    ).toHaveAttribute('href', '/identity/users/default/sam.sre');
    expect(
      within(gains).getByLabelText('Path: sam.sre → sre'),
    ).toBeInTheDocument();
    expect(within(del).queryByRole('list', { name: 'Would lose' })).toBeNull();
    // Unchanged permissions are named, not given a card.
    expect(
      within(results).queryByRole('region', {
        name: 'Changes to identity.read',
      }),
    ).toBeNull();
    expect(
      within(results).getByText('No change: identity.read'),
    ).toBeInTheDocument();
    expect(
      within(results).getByText('identityPolicy.membership'),
    ).toBeInTheDocument();
  });

  it('says how many more there are than listed', async () => {
    const api = mockIdentityApi();
    const base = await api.dryRun({ yaml: '' });
    api.dryRun.mockResolvedValue({
      ...base,
      permissions: [{ ...base.permissions[0], gainCount: 250 }],
    });
    await renderIdentity(<DryRunPage />, { api });
    await userEvent.click(await screen.findByRole('button', { name: 'Run' }));
    expect(await screen.findByText('250 would gain')).toBeInTheDocument();
    expect(screen.getByText('and 249 more')).toBeInTheDocument();
  });

  it("shows an invalid proposal's validation message verbatim", async () => {
    const api = mockIdentityApi();
    const message =
      "Invalid identityPolicy: identityPolicy.adminGroups[1]: 'sre' is not a group entity ref (expected group:<namespace>/<name>)";
    api.dryRun.mockRejectedValue(
      Object.assign(new Error('Request failed with 400 Bad Request'), {
        name: 'ResponseError',
        cause: { name: 'InputError', message },
      }),
    );
    await renderIdentity(<DryRunPage />, { api });
    await userEvent.click(await screen.findByRole('button', { name: 'Run' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(message)).toBeInTheDocument();
    expect(
      within(alert).getByText('The proposal was not run'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Dry-run results' }),
    ).toBeNull();
  });
});
