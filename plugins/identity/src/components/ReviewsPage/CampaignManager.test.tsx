import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockIdentityApi } from '../../__testUtils__/fixtures';
import {
  ADA,
  adaItem,
  CAMPAIGN_ID,
  closedCampaign,
} from '../../__testUtils__/reviewFixtures';
import {
  itemRow,
  mockReportWindow,
  renderReviews,
} from '../../__testUtils__/renderReviews';

describe('A review manager on a campaign', () => {
  it("sees every reviewer's progress and decides none of others' items", async () => {
    const api = mockIdentityApi();
    await renderReviews(`/${CAMPAIGN_ID}`, { api, user: ADA });
    const progress = await screen.findByRole('table', {
      name: 'Reviewer progress',
    });
    const rows = within(progress).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      expect.stringContaining('nina.nested'),
      expect.stringContaining('sam.sre'),
    ]);
    expect(rows[0]).toHaveTextContent('1 of 1 decided');
    await itemRow('Ada Admin');
    expect(screen.queryByRole('button', { name: 'Keep' })).toBeNull();
  });

  it('narrows the items to their own and searches on the server', async () => {
    const api = mockIdentityApi();
    await renderReviews(`/${CAMPAIGN_ID}`, { api, user: ADA });
    await itemRow('Ada Admin');
    expect(api.getReviewItems).toHaveBeenLastCalledWith(CAMPAIGN_ID, {
      q: '',
      mine: false,
      offset: 0,
      limit: 25,
    });
    await userEvent.click(screen.getByLabelText('My items'));
    await waitFor(() =>
      expect(api.getReviewItems).toHaveBeenLastCalledWith(
        CAMPAIGN_ID,
        expect.objectContaining({ mine: true }),
      ),
    );
    await userEvent.type(screen.getByLabelText('Search items'), 'oscar');
    await waitFor(() =>
      expect(api.getReviewItems).toHaveBeenLastCalledWith(CAMPAIGN_ID, {
        q: 'oscar',
        mine: true,
        offset: 0,
        limit: 25,
      }),
    );
  });

  it('reassigns an item to another reviewer', async () => {
    const api = mockIdentityApi();
    await renderReviews(`/${CAMPAIGN_ID}`, { api, user: ADA });
    const row = await itemRow('Ada Admin');
    await userEvent.click(
      within(row).getByRole('button', { name: 'Reassign Ada Admin' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText('Reviewer'),
      'nina.nested',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reassign' }),
    );
    await waitFor(() =>
      expect(api.reassignReviewItem).toHaveBeenCalledWith(
        CAMPAIGN_ID,
        adaItem.id,
        'user:default/nina.nested',
      ),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.getReviewItems).toHaveBeenCalledTimes(2);
  });

  it('closes the campaign after asking', async () => {
    const api = mockIdentityApi();
    await renderReviews(`/${CAMPAIGN_ID}`, { api, user: ADA });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Close campaign' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      '1 of 2 items are still undecided and will stay so.',
    );
    api.getReviewCampaign.mockResolvedValue({
      ...closedCampaign,
      id: CAMPAIGN_ID,
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close campaign' }),
    );
    expect(api.closeReviewCampaign).toHaveBeenCalledWith(CAMPAIGN_ID);
    expect(await screen.findByRole('status')).toHaveTextContent('read only');
    expect(screen.queryByRole('button', { name: 'Close campaign' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Reassign/ })).toBeNull();
  });

  it('exports the evidence as CSV and opens the printable report', async () => {
    const api = mockIdentityApi();
    const createObjectURL = jest.fn(() => 'blob:review');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const { report, open } = mockReportWindow();
    await renderReviews(`/${CAMPAIGN_ID}`, { api, user: ADA });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Export CSV' }),
    );
    await waitFor(() =>
      expect(api.exportReviewCampaignCsv).toHaveBeenCalledWith(CAMPAIGN_ID),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Printable report' }),
    );
    await waitFor(() =>
      expect(api.getReviewCampaignReport).toHaveBeenCalledWith(CAMPAIGN_ID),
    );
    expect(open).toHaveBeenCalledWith('', '_blank');
    await waitFor(() => expect(report.location.href).toBe('blob:review'));
    expect(createObjectURL).toHaveBeenCalledTimes(2);
    open.mockRestore();
  });

  it('closes the report window when the report fails', async () => {
    const api = mockIdentityApi();
    api.getReviewCampaignReport.mockRejectedValue(new Error('Not Found'));
    const { report, open } = mockReportWindow();
    await renderReviews(`/${CAMPAIGN_ID}`, { api, user: ADA });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Printable report' }),
    );
    await waitFor(() => expect(report.close).toHaveBeenCalled());
    expect(report.location.href).toBe('');
    open.mockRestore();
  });
});
