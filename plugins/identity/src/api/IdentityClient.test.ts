import {
  jsonResponse as json,
  setupClient as setup,
} from '../__testUtils__/clientSetup';

describe('IdentityClient', () => {
  it('sends search, filters, sort and paging to GET /users, status repeated', async () => {
    const page = { items: [], totalItems: 0, offset: 20, limit: 10 };
    const { client, fetch } = setup(json(page));
    await expect(
      client.getUsers({
        q: 'ada',
        group: 'group:default/sre',
        source: 'scim',
        status: ['orphaned', 'noGroups'],
        sort: 'email',
        order: 'desc',
        offset: 20,
        limit: 10,
      }),
    ).resolves.toEqual(page);
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/identity/users');
    expect(url.searchParams.get('q')).toBe('ada');
    expect(url.searchParams.get('group')).toBe('group:default/sre');
    expect(url.searchParams.get('source')).toBe('scim');
    expect(url.searchParams.getAll('status')).toEqual(['orphaned', 'noGroups']);
    expect(url.searchParams.get('sort')).toBe('email');
    expect(url.searchParams.get('order')).toBe('desc');
    expect(url.searchParams.get('offset')).toBe('20');
    expect(url.searchParams.get('limit')).toBe('10');
  });

  it('sends only the filters to the CSV export, which refuses sort and paging', async () => {
    const { client, fetch } = setup(new Response('name\nada\n'));
    const blob = await client.exportCsv({
      q: 'ada',
      status: ['orphaned'],
      sort: 'email',
      order: 'desc',
      offset: 20,
      limit: 10,
    });
    expect(await blob.text()).toBe('name\nada\n');
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/identity/export.csv');
    expect([...url.searchParams.keys()].sort()).toEqual(['q', 'status']);
  });

  it('previews with GET and offboards with POST on the same path', async () => {
    const { client, fetch } = setup(json({ message: 'ok' }));
    await client.previewOffboard({ namespace: 'default', name: 'ada.admin' });
    await client.offboard({ namespace: 'default', name: 'ada.admin' });
    await client.refresh({ namespace: 'default', name: 'ada.admin' });
    expect(fetch.mock.calls.map(([u, init]) => [u, init?.method])).toEqual([
      [
        'http://backstage/api/identity/users/default/ada.admin/offboard',
        undefined,
      ],
      [
        'http://backstage/api/identity/users/default/ada.admin/offboard',
        'POST',
      ],
      ['http://backstage/api/identity/users/default/ada.admin/refresh', 'POST'],
    ]);
  });

  it('pages group members', async () => {
    const { client, fetch } = setup(json({}));
    await client.getGroup(
      { namespace: 'default', name: 'platform-admins' },
      { offset: 50, limit: 50 },
    );
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backstage/api/identity/groups/default/platform-admins?offset=50&limit=50',
    );
  });

  it('throws a ResponseError carrying the backend error', async () => {
    const { client } = setup(
      json(
        {
          error: {
            name: 'NotAllowedError',
            message: 'Not allowed: identity.read',
          },
          request: { method: 'GET', url: '/summary' },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    await expect(client.getSummary()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
      cause: expect.objectContaining({ name: 'NotAllowedError' }),
    });
  });
});
