import {
  jsonResponse as json,
  setupClient as setup,
} from '../__testUtils__/clientSetup';

describe('IdentityClient access', () => {
  it("asks for the caller's access and a user's access by entity name", async () => {
    const { client, fetch } = setup(json({ items: [] }));
    await client.getMyAccess();
    await client.getUserAccess({ namespace: 'default', name: 'o/scar' });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backstage/api/identity/access/me',
      'http://backstage/api/identity/access/users/default/o%2Fscar',
    ]);
  });

  it('posts a check as JSON', async () => {
    const explanation = { permission: 'catalog.entity.delete', result: 'deny' };
    const { client, fetch } = setup(json(explanation));
    await expect(
      client.checkAccess({
        userEntityRef: 'user:default/oscar.ordinary',
        permission: 'catalog.entity.delete',
        resourceRef: 'component:default/x',
      }),
    ).resolves.toEqual(explanation);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backstage/api/identity/access/check');
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('Content-Type')).toBe(
      'application/json',
    );
    expect(JSON.parse(String(init?.body))).toEqual({
      userEntityRef: 'user:default/oscar.ordinary',
      permission: 'catalog.entity.delete',
      resourceRef: 'component:default/x',
    });
  });

  it('reads the guarded permissions from an items envelope or a bare list', async () => {
    const info = { name: 'identity.read', adminGroups: [], rules: [] };
    await expect(
      setup(json({ items: [info] })).client.getGuardedPermissions(),
    ).resolves.toEqual([info]);
    await expect(
      setup(json([info])).client.getGuardedPermissions(),
    ).resolves.toEqual([info]);
  });

  it('pages and searches who-can; the CSV export is the whole list', async () => {
    const { client, fetch } = setup(json({ items: [], totalItems: 0 }));
    await client.getWhoCan('catalog.entity.delete', {
      q: 'nina',
      offset: 25,
      limit: 25,
    });
    await client.exportWhoCanCsv('catalog.entity.delete');
    await client.getWhoCan('identity.read');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backstage/api/identity/access/who-can/catalog.entity.delete?q=nina&offset=25&limit=25',
      'http://backstage/api/identity/access/who-can/catalog.entity.delete/export.csv',
      'http://backstage/api/identity/access/who-can/identity.read',
    ]);
  });

  it('posts the proposed YAML to the dry-run', async () => {
    const { client, fetch } = setup(json({ permissions: [] }));
    await client.dryRun({ yaml: 'adminGroups: [group:default/sre]' });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backstage/api/identity/access/dry-run');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({
      yaml: 'adminGroups: [group:default/sre]',
    });
  });

  it("rejects an invalid proposal with the backend's validation message as cause", async () => {
    const { client } = setup(
      json(
        {
          error: {
            name: 'InputError',
            message:
              "identityPolicy.adminGroups[0]: 'sre' is not an entity ref of kind group",
          },
          request: { method: 'POST', url: '/access/dry-run' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    await expect(
      client.dryRun({ yaml: 'adminGroups: [sre]' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      cause: expect.objectContaining({
        name: 'InputError',
        message:
          "identityPolicy.adminGroups[0]: 'sre' is not an entity ref of kind group",
      }),
    });
  });
});
