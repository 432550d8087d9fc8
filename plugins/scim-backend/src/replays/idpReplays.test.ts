import {
  ENTERPRISE,
  GROUP_SCHEMA,
  OKTA_TOKEN,
  PATCH_OP,
  USER_SCHEMA,
  ScimClient,
  scimClient,
  startScimBackend,
} from '../__testUtils__/scimTestBackend';

/*
 * Request sequences written from the IdPs' public documentation:
 * - Microsoft Entra ID: "Tutorial: Develop and plan provisioning for a SCIM
 *   endpoint" (request/response examples for users and groups), including the
 *   non-compliant shapes Entra sends ("False" strings, capitalised ops, a
 *   manager id as a bare string, members removed with a value array).
 * - Okta: "SCIM 2.0 protocol reference" (users: filter on userName with
 *   startIndex/count, POST, PUT, PATCH active; groups: push, rename through a
 *   pathless replace carrying the id, member changes through filter paths).
 */

const filterQuery = (filter: string, extra = '') =>
  `?filter=${encodeURIComponent(filter)}${extra}`;

describe('IdP replays', () => {
  let backend: Awaited<ReturnType<typeof startScimBackend>>['backend'];
  let entra: ScimClient;
  let okta: ScimClient;

  beforeAll(async () => {
    const started = await startScimBackend();
    backend = started.backend;
    entra = started.client;
    okta = scimClient(backend.server, OKTA_TOKEN);
  });

  afterAll(async () => {
    await backend.stop();
  });

  it('Microsoft Entra ID: users', async () => {
    // Test connection: a query for a user that does not exist.
    const test = await entra.get(
      `/Users${filterQuery('userName eq "non-existent user 4d7a6c1b"')}`,
    );
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ totalResults: 0, Resources: [] });

    // Create: Entra first looks the user up, then POSTs.
    const userName = 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1';
    expect(
      (await entra.get(`/Users${filterQuery(`userName eq "${userName}"`)}`))
        .body.totalResults,
    ).toBe(0);
    const created = await entra.post('/Users', {
      schemas: [USER_SCHEMA, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName,
      active: true,
      emails: [
        {
          primary: true,
          type: 'work',
          value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com',
        },
      ],
      meta: { resourceType: 'User' },
      name: {
        formatted: 'givenName familyName',
        familyName: 'familyName',
        givenName: 'givenName',
      },
      roles: [],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName,
      active: true,
      meta: { resourceType: 'User' },
    });

    // Get by id and by query (Entra matches on userName case-insensitively).
    expect((await entra.get(`/Users/${id}`)).body.userName).toBe(userName);
    const byQuery = await entra.get(
      `/Users${filterQuery(`userName eq "${userName.toUpperCase()}"`)}`,
    );
    expect(byQuery.body.Resources.map((r: any) => r.id)).toEqual([id]);

    // Update multi-valued and single-valued attributes.
    const updated = await entra.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Replace',
          path: 'emails[type eq "work"].value',
          value: 'updatedEmail@microsoft.com',
        },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
    expect(updated.status).toBe(200);
    expect(updated.body.emails).toEqual([
      { primary: true, type: 'work', value: 'updatedEmail@microsoft.com' },
    ]);
    expect(updated.body.name.familyName).toBe('updatedFamilyName');

    const renamed = await entra.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Replace',
          path: 'userName',
          value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
        },
      ],
    });
    expect(renamed.body.userName).toBe(
      '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
    );

    // Manager, sent as a bare id.
    const manager = await entra.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Add',
          path: `${ENTERPRISE}:manager`,
          value: '2819c223-7f76-453a-919d-413861904646',
        },
      ],
    });
    expect(manager.body[ENTERPRISE].manager).toEqual({
      value: '2819c223-7f76-453a-919d-413861904646',
    });

    // Disable (Entra sends the boolean as a string), then enable.
    const disabled = await entra.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body.active).toBe(false);
    const enabled = await entra.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect(enabled.body.active).toBe(true);

    // Delete.
    expect((await entra.delete(`/Users/${id}`)).status).toBe(204);
    expect((await entra.get(`/Users/${id}`)).status).toBe(404);
  });

  it('Microsoft Entra ID: groups', async () => {
    const member = (
      await entra.post('/Users', {
        schemas: [USER_SCHEMA],
        userName: 'entra.member@testuser.com',
        active: true,
      })
    ).body;

    const created = await entra.post('/Groups', {
      schemas: [
        GROUP_SCHEMA,
        'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group',
      ],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      schemas: [GROUP_SCHEMA],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      members: [],
    });
    const id = created.body.id;

    const get = await entra.get(`/Groups/${id}?excludedAttributes=members`);
    expect(get.status).toBe(200);
    expect(get.body.members).toBeUndefined();
    const byName = await entra.get(
      `/Groups${filterQuery(
        'displayName eq "displayName"',
        '&excludedAttributes=members',
      )}`,
    );
    expect(byName.body.Resources.map((g: any) => g.id)).toEqual([id]);

    // Rename.
    const rename = await entra.patch(`/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Replace',
          path: 'displayName',
          value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
        },
      ],
    });
    expect(rename.status).toBe(204);

    // Add and remove members, each with a value array.
    const add = await entra.patch(`/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Add',
          path: 'members',
          value: [{ $ref: null, value: member.id }],
        },
      ],
    });
    expect(add.status).toBe(204);
    expect(
      (await entra.get(`/Groups/${id}`)).body.members.map((m: any) => m.value),
    ).toEqual([member.id]);
    const remove = await entra.patch(`/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Remove',
          path: 'members',
          value: [{ $ref: null, value: member.id }],
        },
      ],
    });
    expect(remove.status).toBe(204);
    const after = (await entra.get(`/Groups/${id}`)).body;
    expect(after.members).toEqual([]);
    expect(after.displayName).toBe(
      '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
    );

    expect((await entra.delete(`/Groups/${id}`)).status).toBe(204);
    expect((await entra.get(`/Groups/${id}`)).status).toBe(404);
  });

  it('Okta: users', async () => {
    const lookup = await okta.get(
      `/Users${filterQuery(
        'userName eq "test.user@okta.local"',
        '&startIndex=1&count=100',
      )}`,
    );
    expect(lookup.status).toBe(200);
    expect(lookup.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });

    const created = await okta.post('/Users', {
      schemas: [USER_SCHEMA],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.password).toBeUndefined();
    expect(created.body.groups).toEqual([]);

    const read = await okta.get(`/Users/${id}`);
    expect(read.body).toMatchObject({
      userName: 'test.user@okta.local',
      active: true,
    });

    // Okta updates profiles with PUT, sending the whole user with its id.
    const put = await okta.put(`/Users/${id}`, {
      schemas: [USER_SCHEMA],
      id,
      userName: 'test.user@okta.local',
      name: { givenName: 'Another', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Another User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      active: true,
    });
    expect(put.status).toBe(200);
    expect(put.body.name.givenName).toBe('Another');

    // Deactivate and reactivate through a pathless replace. Okta never sends
    // DELETE for users: deactivation is its deprovisioning.
    const deactivate = await okta.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivate.status).toBe(200);
    expect(deactivate.body.active).toBe(false);
    const reactivate = await okta.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(reactivate.body.active).toBe(true);

    expect((await okta.delete(`/Users/${id}`)).status).toBe(204);
  });

  it('Okta: groups', async () => {
    const u1 = (
      await okta.post('/Users', {
        schemas: [USER_SCHEMA],
        userName: 'g1@okta.local',
      })
    ).body;
    const u2 = (
      await okta.post('/Users', {
        schemas: [USER_SCHEMA],
        userName: 'g2@okta.local',
      })
    ).body;

    const lookup = await okta.get(
      `/Groups${filterQuery(
        'displayName eq "Test SCIMv2"',
        '&startIndex=1&count=100',
      )}`,
    );
    expect(lookup.body.totalResults).toBe(0);

    const pushed = await okta.post('/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Test SCIMv2',
      members: [{ value: u1.id, display: 'g1@okta.local' }],
    });
    expect(pushed.status).toBe(201);
    const id = pushed.body.id;

    const rename = await okta.patch(`/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', value: { id, displayName: 'Test SCIMv2 renamed' } },
      ],
    });
    expect(rename.status).toBe(204);

    const members = await okta.patch(`/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'remove', path: `members[value eq "${u1.id}"]` },
        {
          op: 'add',
          path: 'members',
          value: [{ value: u2.id, display: 'g2@okta.local' }],
        },
      ],
    });
    expect(members.status).toBe(204);
    const group = (await okta.get(`/Groups/${id}`)).body;
    expect(group.displayName).toBe('Test SCIMv2 renamed');
    expect(group.members.map((m: any) => m.value)).toEqual([u2.id]);

    // Okta may also replace the whole group.
    const put = await okta.put(`/Groups/${id}`, {
      schemas: [GROUP_SCHEMA],
      id,
      displayName: 'Test SCIMv2 renamed',
      members: [{ value: u1.id }, { value: u2.id }],
    });
    expect(put.status).toBe(200);
    expect(put.body.members).toHaveLength(2);

    expect((await okta.delete(`/Groups/${id}`)).status).toBe(204);
    expect((await okta.get(`/Groups/${id}`)).status).toBe(404);
  });
});
