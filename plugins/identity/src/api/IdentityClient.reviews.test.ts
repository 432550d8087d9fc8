import {
  jsonResponse as json,
  setupClient as setup,
} from '../__testUtils__/clientSetup';

const ID = '3f1c2a4e-8b7d-4c3e-9a1f-0e2d4b6c8a10';
const ITEM = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const base = `http://backstage/api/identity/reviews/campaigns`;

function bodyOf(init?: RequestInit) {
  return JSON.parse(String(init?.body));
}

describe('IdentityClient reviews', () => {
  it('posts a new campaign as JSON', async () => {
    const { client, fetch } = setup(json({ id: ID }, 201));
    const request = {
      name: 'Q4 admins',
      scope: { type: 'permission' as const, permission: 'identity.read' },
      dueAt: '2027-01-31',
      defaultReviewers: ['user:default/sam.sre'],
    };
    await expect(client.createReviewCampaign(request)).resolves.toEqual({
      id: ID,
    });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(base);
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('Content-Type')).toBe(
      'application/json',
    );
    expect(bodyOf(init)).toEqual(request);
  });

  it('reads the list, a campaign and its items, paged, searched and mine only', async () => {
    const { client, fetch } = setup(json({ items: [] }));
    await client.getReviewCampaigns();
    await client.getReviewCampaign(ID);
    await client.getReviewItems(ID);
    await client.getReviewItems(ID, {
      q: 'nina',
      mine: true,
      offset: 50,
      limit: 25,
    });
    await client.getReviewItems(ID, { mine: false, offset: 0 });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      base,
      `${base}/${ID}`,
      `${base}/${ID}/items`,
      `${base}/${ID}/items?mine=true&q=nina&offset=50&limit=25`,
      `${base}/${ID}/items?offset=0`,
    ]);
  });

  it('posts decisions, a reassignment and a close', async () => {
    const { client, fetch } = setup(json({ items: [] }));
    const decisions = {
      decisions: [
        { itemId: ITEM, decision: 'revoke' as const, comment: 'left' },
      ],
    };
    await client.decideReviewItems(ID, decisions);
    await client.reassignReviewItem(ID, ITEM, 'user:default/nina.nested');
    await client.closeReviewCampaign(ID);
    const calls = fetch.mock.calls.map(([url, init]) => [
      url,
      init?.method,
      init?.body === undefined ? undefined : bodyOf(init),
    ]);
    expect(calls).toEqual([
      [`${base}/${ID}/decisions`, 'POST', decisions],
      [
        `${base}/${ID}/items/${ITEM}/reassign`,
        'POST',
        { reviewer: 'user:default/nina.nested' },
      ],
      [`${base}/${ID}/close`, 'POST', undefined],
    ]);
  });

  it('downloads the CSV export and the printable report as blobs', async () => {
    const { client, fetch } = setup(
      new Response('item_id,decision\n1,keep\n', { status: 200 }),
    );
    const csv = await client.exportReviewCampaignCsv(ID);
    await expect(csv.text()).resolves.toBe('item_id,decision\n1,keep\n');
    await client.getReviewCampaignReport(ID);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${base}/${ID}/export`,
      `${base}/${ID}/report`,
    ]);
  });

  it("rejects a refused decision with the backend's message as cause", async () => {
    const { client } = setup(
      json(
        {
          error: {
            name: 'NotFoundError',
            message: `No item ${ITEM} assigned to you in this campaign`,
          },
          response: { statusCode: 404 },
        },
        404,
      ),
    );
    await expect(
      client.decideReviewItems(ID, {
        decisions: [{ itemId: ITEM, decision: 'keep' }],
      }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      cause: expect.objectContaining({
        message: `No item ${ITEM} assigned to you in this campaign`,
      }),
    });
  });
});
