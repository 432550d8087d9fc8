import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import {
  ADA,
  closedCampaign,
  openCampaign,
  SAM,
} from '../../__testUtils__/reviewFixtures';
import {
  renderReviews,
  REVIEWER_ONLY,
} from '../../__testUtils__/renderReviews';

function inputError(message: string) {
  const error = new Error('Request failed with 400 Bad Request');
  error.name = 'ResponseError';
  (error as { cause?: unknown }).cause = { name: 'InputError', message };
  return error;
}

/** Opens the Start campaign dialog. */
async function openStartDialog() {
  await userEvent.click(
    await screen.findByRole('button', { name: 'Start campaign' }),
  );
  return screen.findByRole('dialog');
}

describe('Review campaigns list', () => {
  it('lists each campaign with its scope, status, due date, progress and creator', async () => {
    const api = mockIdentityApi();
    await renderReviews('', { api, user: ADA });

    const table = await screen.findByRole('table', {
      name: 'Access review campaigns',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(
      within(rows[0]).getByRole('link', { name: openCampaign.name }),
    ).toHaveAttribute('href', `/identity/reviews/${openCampaign.id}`);
    expect(rows[0]).toHaveTextContent('Who can catalog.entity.delete');
    expect(rows[0]).toHaveTextContent('Open');
    expect(rows[0]).toHaveTextContent('2026-12-31');
    expect(rows[0]).toHaveTextContent('1 of 2 decided');
    expect(rows[0]).toHaveTextContent('ada.admin');
    expect(rows[1]).toHaveTextContent('Members of sre');
    expect(rows[1]).toHaveTextContent('Closed');
    expect(rows[1]).toHaveTextContent(closedCampaign.name);
  });

  it('offers a reviewer no Start campaign', async () => {
    const api = mockIdentityApi();
    await renderReviews('', { api, user: SAM, deny: REVIEWER_ONLY });
    await screen.findByRole('table', { name: 'Access review campaigns' });
    expect(screen.queryByRole('button', { name: 'Start campaign' })).toBeNull();
  });

  it('tells a user with no campaigns that nothing is for them', async () => {
    const api = mockIdentityApi();
    api.getReviewCampaigns.mockResolvedValue({ items: [] });
    await renderReviews('', { api, user: SAM, deny: REVIEWER_ONLY });
    expect(await screen.findByText('No access reviews')).toBeInTheDocument();
    expect(
      screen.getByText('No campaign has items for you to review.'),
    ).toBeInTheDocument();
  });

  it('starts a campaign over a permission with default reviewers', async () => {
    const api = mockIdentityApi();
    await renderReviews('', { api, user: ADA });
    const dialog = await openStartDialog();
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Q1 deleters');
    await userEvent.selectOptions(
      await within(dialog).findByLabelText('Permission'),
      'catalog.entity.delete',
    );
    const due = within(dialog).getByLabelText('Due');
    await userEvent.clear(due);
    await userEvent.type(due, '2099-03-31');
    await userEvent.type(
      within(dialog).getByLabelText('Default reviewers'),
      'sam.sre, user:default/nina.nested',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start' }),
    );

    await waitFor(() =>
      expect(api.createReviewCampaign).toHaveBeenCalledWith({
        name: 'Q1 deleters',
        scope: { type: 'permission', permission: 'catalog.entity.delete' },
        dueAt: '2099-03-31',
        defaultReviewers: ['user:default/sam.sre', 'user:default/nina.nested'],
      }),
    );
    // On to the new campaign.
    await waitFor(() =>
      expect(api.getReviewCampaign).toHaveBeenCalledWith(openCampaign.id),
    );
  });

  it('starts a campaign over groups picked from the tree', async () => {
    const api = mockIdentityApi();
    await renderReviews('', { api, user: ADA });
    const dialog = await openStartDialog();
    await userEvent.type(within(dialog).getByLabelText('Name'), 'SRE');
    await userEvent.click(
      within(dialog).getByLabelText('Members of groups, direct or nested'),
    );
    await userEvent.type(within(dialog).getByLabelText('Groups'), 'sre');
    await userEvent.click(
      await screen.findByRole('option', { name: 'group:default/sre' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start' }),
    );
    await waitFor(() =>
      expect(api.createReviewCampaign).toHaveBeenCalledWith(
        expect.objectContaining({
          scope: { type: 'groups', groups: ['group:default/sre'] },
        }),
      ),
    );
    expect(api.createReviewCampaign.mock.calls[0][0]).not.toHaveProperty(
      'defaultReviewers',
    );
  });

  it("shows the backend's reason when it refuses the campaign", async () => {
    const api = mockIdentityApi();
    api.createReviewCampaign.mockRejectedValue(
      inputError('The scope covers nobody'),
    );
    await renderReviews('', { api, user: ADA });
    const dialog = await openStartDialog();
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Nobody');
    await userEvent.click(
      within(dialog).getByLabelText(
        'Every privileged user (any guarded permission)',
      ),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Could not start the campaign: The scope covers nobody',
    );
    expect(api.createReviewCampaign).toHaveBeenCalledWith(
      expect.objectContaining({ scope: { type: 'privileged' } }),
    );
    // Still open, with what was typed, to correct it.
    expect(within(dialog).getByLabelText('Name')).toHaveValue('Nobody');
  });
});
