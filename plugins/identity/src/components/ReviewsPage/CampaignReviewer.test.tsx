import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import {
  adaItem,
  CAMPAIGN_ID,
  closedCampaign,
  revokedItem,
  SAM,
} from '../../__testUtils__/reviewFixtures';
import {
  itemRow,
  renderReviews,
  REVIEWER_ONLY,
} from '../../__testUtils__/renderReviews';

const asSam = { user: SAM, deny: REVIEWER_ONLY };

describe('A reviewer on a campaign', () => {
  it('sees the header, their own progress line and the items with their paths', async () => {
    const api = mockIdentityApi();
    api.getReviewCampaign.mockImplementation(async () => ({
      ...(await mockIdentityApi().getReviewCampaign(CAMPAIGN_ID)),
      progress: [{ reviewer: SAM, total: 1, decided: 0, kept: 0, revoked: 0 }],
    }));
    await renderReviews(`/${CAMPAIGN_ID}`, { api, ...asSam });

    expect(await screen.findByText('Q4 catalog admins')).toBeInTheDocument();
    expect(screen.getByLabelText('Campaign progress')).toHaveAttribute(
      'aria-valuenow',
      '50',
    );
    const progress = screen.getByRole('table', { name: 'Reviewer progress' });
    expect(within(progress).getAllByRole('row')).toHaveLength(2);
    expect(within(progress).getByText('sam.sre')).toBeInTheDocument();

    const row = await itemRow('Ada Admin');
    // Without identity.read the path is text, not links.
    expect(
      within(row).getByLabelText('Path: ada.admin → platform-admins'),
    ).toBeInTheDocument();
    expect(within(row).queryByRole('link')).toBeNull();
    expect(row).toHaveTextContent('directory-corp.yaml');
    // Managers' tools are not there.
    expect(screen.queryByRole('button', { name: 'Close campaign' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Export CSV' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Reassign/ })).toBeNull();
    expect(screen.queryByLabelText('My items')).toBeNull();
  });

  it('revokes one item with a comment, and only their own items have controls', async () => {
    const api = mockIdentityApi();
    await renderReviews(`/${CAMPAIGN_ID}`, { api, ...asSam });

    const other = await itemRow('Oscar Ordinary');
    expect(within(other).queryByRole('button', { name: 'Revoke' })).toBeNull();
    expect(other).toHaveTextContent('Revoked');

    const row = await itemRow('Ada Admin');
    await userEvent.type(
      within(row).getByLabelText('Comment on Ada Admin'),
      'Left the team',
    );
    await userEvent.click(within(row).getByRole('button', { name: 'Revoke' }));

    await waitFor(() =>
      expect(api.decideReviewItems).toHaveBeenCalledWith(CAMPAIGN_ID, {
        decisions: [
          { itemId: adaItem.id, decision: 'revoke', comment: 'Left the team' },
        ],
      }),
    );
    // The progress and the items are read again.
    await waitFor(() => expect(api.getReviewCampaign).toHaveBeenCalledTimes(2));
    expect(api.getReviewItems).toHaveBeenCalledTimes(2);
  });

  it('keeps every own item of the page in one request', async () => {
    const api = mockIdentityApi();
    const second = {
      ...adaItem,
      id: '33333333-3333-4333-8333-333333333333',
      userRef: 'user:default/nina.nested',
      displayName: 'Nina Nested',
    };
    api.getReviewItems.mockResolvedValue({
      items: [adaItem, second, revokedItem],
      totalItems: 3,
      offset: 0,
      limit: 25,
    });
    await renderReviews(`/${CAMPAIGN_ID}`, { api, ...asSam });

    await userEvent.type(
      within(await itemRow('Nina Nested')).getByLabelText(
        'Comment on Nina Nested',
      ),
      'Still on call',
    );
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Select all on this page' }),
    );
    // Others' items cannot be selected.
    expect(
      screen.queryByRole('checkbox', { name: 'Select Oscar Ordinary' }),
    ).toBeNull();
    const bulk = screen.getByRole('region', { name: 'Bulk decision' });
    expect(bulk).toHaveTextContent('2 selected');
    await userEvent.click(
      within(bulk).getByRole('button', { name: 'Keep selected' }),
    );

    await waitFor(() => expect(api.decideReviewItems).toHaveBeenCalledTimes(1));
    expect(api.decideReviewItems).toHaveBeenCalledWith(CAMPAIGN_ID, {
      decisions: [
        { itemId: adaItem.id, decision: 'keep' },
        { itemId: second.id, decision: 'keep', comment: 'Still on call' },
      ],
    });
    await waitFor(() =>
      expect(
        screen.queryByRole('region', { name: 'Bulk decision' }),
      ).toBeNull(),
    );
  });

  it('says that nothing was saved when the backend refuses the decisions', async () => {
    const api = mockIdentityApi();
    const error = new Error('Request failed with 409 Conflict');
    error.name = 'ResponseError';
    (error as { cause?: unknown }).cause = {
      name: 'ConflictError',
      message: 'The campaign is closed',
    };
    api.decideReviewItems.mockRejectedValue(error);
    await renderReviews(`/${CAMPAIGN_ID}`, { api, ...asSam });
    const row = await itemRow('Ada Admin');
    await userEvent.click(within(row).getByRole('button', { name: 'Keep' }));
    expect(
      await screen.findByText(
        'The decision was not saved (nothing of it was): The campaign is closed',
      ),
    ).toBeInTheDocument();
  });

  it('shows a closed campaign read-only', async () => {
    const api = mockIdentityApi();
    await renderReviews(`/${closedCampaign.id}`, { api, ...asSam });

    expect(await screen.findByRole('status')).toHaveTextContent('Closed');
    expect(screen.getByRole('status')).toHaveTextContent(
      'by ada.admin: read only',
    );
    const row = await itemRow('Ada Admin');
    expect(row).toHaveTextContent('Undecided');
    expect(screen.queryByRole('button', { name: 'Keep' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.queryByLabelText('Comment on Ada Admin')).toBeNull();
  });

  it("lists a revocation's steps: the change, where and on which line", async () => {
    const api = mockIdentityApi();
    await renderReviews(`/${CAMPAIGN_ID}`, { api, ...asSam });
    const row = await itemRow('Oscar Ordinary');
    expect(row).toHaveTextContent('Moved to sales');
    // No revocation, nothing shown.
    expect(
      within(await itemRow('Ada Admin')).queryByRole('button', {
        name: 'Revocation pending',
      }),
    ).toBeNull();

    await userEvent.click(
      within(row).getByRole('button', { name: 'Revocation pending' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Revocation pending: Oscar Ordinary, catalog.entity.delete',
    );
    const steps = within(
      within(dialog).getByRole('list', { name: 'Revocation steps' }),
    ).getAllByRole('listitem');
    expect(steps).toHaveLength(2);
    expect(steps[0]).toHaveTextContent(
      'Remove oscar.ordinary from the group platform-admins-emea',
    );
    expect(steps[0]).toHaveTextContent(
      'In the identity provider (scim:entra): entra',
    );
    expect(steps[1]).toHaveTextContent(
      'Delete platform-admins-emea from spec.children',
    );
    expect(steps[1]).toHaveTextContent(
      'In the entity file (file): examples/demo-org/groups.yaml, line 42',
    );
  });
});
