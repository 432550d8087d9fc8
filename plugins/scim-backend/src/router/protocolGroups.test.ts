import {
  GROUP_SCHEMA,
  ScimClient,
  createUser,
  patchOp,
  startScimBackend,
} from '../__testUtils__/scimTestBackend';

describe('Groups over the SCIM protocol', () => {
  let backend: Awaited<ReturnType<typeof startScimBackend>>['backend'];
  let client: ScimClient;

  beforeAll(async () => {
    ({ backend, client } = await startScimBackend());
  });

  afterAll(async () => {
    await backend.stop();
  });

  describe('Groups', () => {
    it('creates groups with members, lists members and user.groups', async () => {
      const u1 = await createUser(client, 'g.member1@example.com');
      const u2 = await createUser(client, 'g.member2@example.com');
      const res = await client.post('/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Group One',
        externalId: 'g1-ext',
        members: [{ value: u1.id }, { value: u2.id }],
      });
      expect(res.status).toBe(201);
      expect(res.body.members).toHaveLength(2);
      expect(res.body.members[0]).toMatchObject({
        type: 'User',
        display: expect.any(String),
      });
      expect(res.body.meta.version).toBe('W/"1"');

      const user = await client.get(`/Users/${u1.id}`);
      expect(user.body.groups).toEqual([
        expect.objectContaining({
          value: res.body.id,
          display: 'Group One',
          type: 'direct',
        }),
      ]);

      const byMember = await client.get(
        `/Groups?filter=${encodeURIComponent(`members[value eq "${u2.id}"]`)}`,
      );
      expect(byMember.body.Resources.map((g: any) => g.id)).toEqual([
        res.body.id,
      ]);
      const byGroupOfUser = await client.get(
        `/Users?filter=${encodeURIComponent(
          `groups.value eq "${res.body.id}"`,
        )}`,
      );
      expect(byGroupOfUser.body.totalResults).toBe(2);

      const noMembers = await client.get(
        `/Groups?filter=${encodeURIComponent(
          'displayName eq "group one"',
        )}&excludedAttributes=members`,
      );
      expect(noMembers.body.totalResults).toBe(1);
      expect(noMembers.body.Resources[0].members).toBeUndefined();
    });

    it('rejects duplicate displayNames and unknown members', async () => {
      await client.post('/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Dup',
      });
      const dup = await client.post('/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'dup',
      });
      expect(dup.status).toBe(409);
      expect(dup.body.scimType).toBe('uniqueness');
      const unknown = await client.post('/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: 'Ghosts',
        members: [{ value: 'no-such-id' }],
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.scimType).toBe('invalidValue');
    });

    it('adds and removes members in bulk in every shape', async () => {
      const users = [];
      for (let i = 0; i < 4; i++) {
        users.push(await createUser(client, `bulk${i}@example.com`));
      }
      const group = (
        await client.post('/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: 'Bulk',
        })
      ).body;
      const members = async () =>
        (await client.get(`/Groups/${group.id}`)).body.members
          ?.map((m: any) => m.value)
          .sort() ?? [];

      const add = await client.patch(
        `/Groups/${group.id}`,
        patchOp({
          op: 'Add',
          path: 'members',
          value: users.map(u => ({ value: u.id })),
        }),
      );
      expect(add.status).toBe(204);
      expect(await members()).toEqual(users.map(u => u.id).sort());

      await client.patch(
        `/Groups/${group.id}`,
        patchOp({
          op: 'Remove',
          path: 'members',
          value: [{ value: users[0].id }, { value: users[1].id }],
        }),
      );
      expect(await members()).toEqual([users[2].id, users[3].id].sort());

      await client.patch(
        `/Groups/${group.id}`,
        patchOp({ op: 'remove', path: `members[value eq "${users[2].id}"]` }),
      );
      expect(await members()).toEqual([users[3].id]);

      await client.patch(
        `/Groups/${group.id}`,
        patchOp({
          op: 'replace',
          path: 'members',
          value: [{ value: users[0].id }],
        }),
      );
      expect(await members()).toEqual([users[0].id]);

      const renamed = await client.patch(
        `/Groups/${group.id}?attributes=displayName`,
        patchOp({
          op: 'replace',
          value: { id: group.id, displayName: 'Bulk 2' },
        }),
      );
      expect(renamed.status).toBe(200);
      expect(renamed.body).toEqual({
        schemas: [GROUP_SCHEMA],
        id: group.id,
        displayName: 'Bulk 2',
      });

      await client.patch(
        `/Groups/${group.id}`,
        patchOp({ op: 'remove', path: 'members' }),
      );
      expect(await members()).toEqual([]);
    });

    it('replaces and deletes groups', async () => {
      const group = (
        await client.post('/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: 'Replace me',
        })
      ).body;
      const put = await client.put(`/Groups/${group.id}`, {
        schemas: [GROUP_SCHEMA],
        displayName: 'Replaced',
      });
      expect(put.body.displayName).toBe('Replaced');
      expect(put.body.meta.version).toBe('W/"2"');
      expect((await client.delete(`/Groups/${group.id}`)).status).toBe(204);
      expect((await client.get(`/Groups/${group.id}`)).status).toBe(404);
      expect((await client.delete(`/Groups/${group.id}`)).status).toBe(404);
    });
  });
});
