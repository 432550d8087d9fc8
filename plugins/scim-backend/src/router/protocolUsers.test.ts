import {
  ENTERPRISE,
  ScimClient,
  createUser,
  patchOp,
  startScimBackend,
  userBody,
} from '../__testUtils__/scimTestBackend';

describe('Users over the SCIM protocol', () => {
  let backend: Awaited<ReturnType<typeof startScimBackend>>['backend'];
  let client: ScimClient;

  beforeAll(async () => {
    ({ backend, client } = await startScimBackend());
  });

  afterAll(async () => {
    await backend.stop();
  });

  describe('Users', () => {
    it('creates, reads, replaces and deletes a user with meta and ETags', async () => {
      const created = await client.post(
        '/Users',
        userBody('Barbara.Jensen@example.com', {
          externalId: 'bjensen-ext',
          name: { givenName: 'Barbara', familyName: 'Jensen' },
          emails: [
            { value: 'bjensen@example.com', type: 'work', primary: true },
          ],
          [ENTERPRISE]: {
            employeeNumber: '701984',
            department: 'Tour Operations',
            manager: { value: 'boss-id' },
          },
        }),
      );
      expect(created.status).toBe(201);
      const user = created.body;
      expect(user.schemas).toEqual([
        'urn:ietf:params:scim:schemas:core:2.0:User',
        ENTERPRISE,
      ]);
      expect(user.meta).toEqual({
        resourceType: 'User',
        created: expect.any(String),
        lastModified: expect.any(String),
        location: expect.stringMatching(
          new RegExp(`/api/scim/v2/Users/${user.id}$`),
        ),
        version: 'W/"1"',
      });
      expect(created.headers.location).toBe(user.meta.location);
      expect(created.headers.etag).toBe('W/"1"');
      expect(user[ENTERPRISE].department).toBe('Tour Operations');
      expect(user.active).toBe(true);
      expect(user.groups).toEqual([]);

      const read = await client.get(`/Users/${user.id}`);
      expect(read.body).toEqual(user);

      const replaced = await client.put(
        `/Users/${user.id}`,
        userBody('Barbara.Jensen@example.com', { displayName: 'Babs' }),
      );
      expect(replaced.status).toBe(200);
      expect(replaced.body.displayName).toBe('Babs');
      expect(replaced.body.name).toBeUndefined();
      expect(replaced.body.meta.version).toBe('W/"2"');

      expect((await client.delete(`/Users/${user.id}`)).status).toBe(204);
      const gone = await client.get(`/Users/${user.id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.status).toBe('404');
    });

    it('rejects duplicate userNames case-insensitively with 409 uniqueness', async () => {
      await createUser(client, 'Unique.Person@example.com');
      const res = await client.post(
        '/Users',
        userBody('unique.person@EXAMPLE.com'),
      );
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    });

    it('rejects invalid values with 400 invalidValue', async () => {
      const missing = await client.post('/Users', { schemas: [] });
      expect(missing.status).toBe(400);
      expect(missing.body.scimType).toBe('invalidValue');
      const wrongType = await client.post(
        '/Users',
        userBody('typed@example.com', { active: 'maybe' }),
      );
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.scimType).toBe('invalidValue');
    });

    it('answers a conditional GET with 304 while the ETag is current', async () => {
      const user = await createUser(client, 'conditional.user@example.com');
      const unchanged = await client
        .get(`/Users/${user.id}`)
        .set('If-None-Match', 'W/"1"');
      expect(unchanged.status).toBe(304);
      expect(unchanged.headers.etag).toBe('W/"1"');
      expect(unchanged.text).toBe('');
      await client.patch(
        `/Users/${user.id}`,
        patchOp({ op: 'replace', path: 'title', value: 'Changed' }),
      );
      const changed = await client
        .get(`/Users/${user.id}`)
        .set('If-None-Match', 'W/"1"');
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('W/"2"');
      expect(changed.body.title).toBe('Changed');
    });

    it('honours If-Match with 412 on mismatch', async () => {
      const user = await createUser(client, 'etag.user@example.com');
      const stale = await client
        .put(`/Users/${user.id}`, userBody('etag.user@example.com'))
        .set('If-Match', 'W/"7"');
      expect(stale.status).toBe(412);
      expect(stale.body.status).toBe('412');
      const fresh = await client
        .patch(
          `/Users/${user.id}`,
          patchOp({ op: 'replace', path: 'title', value: 'Boss' }),
        )
        .set('If-Match', 'W/"1"');
      expect(fresh.status).toBe(200);
      const del = await client
        .delete(`/Users/${user.id}`)
        .set('If-Match', 'W/"1"');
      expect(del.status).toBe(412);
    });

    it('pages with startIndex and count in a stable order', async () => {
      for (let i = 0; i < 5; i++) {
        await createUser(client, `pager${i}@paging.example.com`);
      }
      const filter = encodeURIComponent('userName ew "@paging.example.com"');
      const page1 = await client.get(
        `/Users?filter=${filter}&startIndex=1&count=2`,
      );
      const page2 = await client.get(
        `/Users?filter=${filter}&startIndex=3&count=2`,
      );
      const page3 = await client.get(
        `/Users?filter=${filter}&startIndex=5&count=2`,
      );
      expect(page1.body).toMatchObject({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 5,
        itemsPerPage: 2,
        startIndex: 1,
      });
      const names = [page1, page2, page3].flatMap(p =>
        p.body.Resources.map((r: any) => r.userName),
      );
      expect(names).toEqual(
        [0, 1, 2, 3, 4].map(i => `pager${i}@paging.example.com`),
      );
      const countOnly = await client.get(`/Users?filter=${filter}&count=0`);
      expect(countOnly.body).toMatchObject({ totalResults: 5, Resources: [] });
      const bad = await client.get('/Users?count=abc');
      expect(bad.status).toBe(400);
    });

    it('applies attributes and excludedAttributes', async () => {
      const user = await createUser(client, 'projection@example.com', {
        name: { givenName: 'Pro', familyName: 'Jection' },
        [ENTERPRISE]: { department: 'R&D', employeeNumber: '42' },
      });
      const only = await client.get(
        `/Users/${user.id}?attributes=userName,name.givenName,${ENTERPRISE}:department`,
      );
      expect(only.body).toEqual({
        schemas: user.schemas,
        id: user.id,
        userName: 'projection@example.com',
        name: { givenName: 'Pro' },
        [ENTERPRISE]: { department: 'R&D' },
      });
      const without = await client.get(
        `/Users/${user.id}?excludedAttributes=name,meta,groups`,
      );
      expect(without.body.name).toBeUndefined();
      expect(without.body.meta).toBeUndefined();
      expect(without.body.userName).toBe('projection@example.com');
      expect(without.body.id).toBe(user.id);
    });
  });

  describe('PATCH on users', () => {
    it('adds, replaces and removes with and without paths', async () => {
      const user = await createUser(client, 'patchy@example.com', {
        emails: [{ value: 'old@example.com', type: 'work' }],
      });
      const res = await client.patch(
        `/Users/${user.id}`,
        patchOp(
          { op: 'add', path: 'nickName', value: 'Pat' },
          { op: 'add', value: { title: 'Lead', 'name.givenName': 'Patty' } },
          {
            op: 'replace',
            path: 'emails[type eq "work"].value',
            value: 'new@example.com',
          },
          {
            op: 'add',
            path: 'phoneNumbers',
            value: [{ value: '555', type: 'work' }],
          },
          { op: 'remove', path: 'title' },
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        nickName: 'Pat',
        name: { givenName: 'Patty' },
        emails: [{ value: 'new@example.com', type: 'work' }],
        phoneNumbers: [{ value: '555', type: 'work' }],
      });
      expect(res.body.title).toBeUndefined();
    });

    it('handles the shapes Entra ID sends', async () => {
      const user = await createUser(client, 'entra.shapes@example.com');
      const res = await client.patch(
        `/Users/${user.id}`,
        patchOp(
          { op: 'Replace', path: 'active', value: 'False' },
          {
            op: 'Replace',
            value: {
              'name.familyName': 'Shape',
              [`${ENTERPRISE}:department`]: 'Ops',
            },
          },
          { op: 'Add', path: `${ENTERPRISE}:manager`, value: 'mgr-1' },
          {
            op: 'Add',
            path: 'emails[type eq "work"].value',
            value: 'e@example.com',
          },
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(false);
      expect(res.body.name).toEqual({ familyName: 'Shape' });
      expect(res.body[ENTERPRISE]).toEqual({
        department: 'Ops',
        manager: { value: 'mgr-1' },
      });
      expect(res.body.emails).toEqual([
        { type: 'work', value: 'e@example.com' },
      ]);

      const enterprise = await client.patch(
        `/Users/${user.id}`,
        patchOp({
          op: 'replace',
          value: { [ENTERPRISE]: { employeeNumber: 7 } },
        }),
      );
      expect(enterprise.body[ENTERPRISE].employeeNumber).toBe('7');
    });

    it('clears attributes given null or empty values', async () => {
      const user = await createUser(client, 'clearing@example.com', {
        title: 'T',
        nickName: 'N',
        emails: [{ value: 'c@example.com' }],
        [ENTERPRISE]: { department: 'D' },
      });
      const res = await client.patch(
        `/Users/${user.id}`,
        patchOp(
          { op: 'replace', path: 'title', value: null },
          { op: 'replace', path: 'nickName', value: '' },
          { op: 'replace', path: 'emails', value: [] },
          { op: 'replace', path: `${ENTERPRISE}:department`, value: '' },
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body.title).toBeUndefined();
      expect(res.body.nickName).toBeUndefined();
      expect(res.body.emails).toBeUndefined();
      expect(res.body[ENTERPRISE]).toBeUndefined();
    });

    it('removes elements through a value-filter path', async () => {
      const user = await createUser(client, 'filterpath@example.com', {
        emails: [
          { value: 'a@example.com', type: 'work' },
          { value: 'b@example.com', type: 'home' },
        ],
      });
      const res = await client.patch(
        `/Users/${user.id}`,
        patchOp({ op: 'remove', path: 'emails[type eq "home"]' }),
      );
      expect(res.body.emails).toEqual([
        { value: 'a@example.com', type: 'work' },
      ]);
    });

    it.each([
      [patchOp({ op: 'explode', path: 'title', value: 'x' }), 'invalidSyntax'],
      [{ schemas: ['urn:wrong'], Operations: [] }, 'invalidSyntax'],
      [patchOp({ op: 'remove' }), 'noTarget'],
      [patchOp({ op: 'add', path: 'nope', value: 'x' }), 'invalidPath'],
      [
        patchOp({ op: 'add', path: 'emails[type eq', value: 'x' }),
        'invalidPath',
      ],
      [patchOp({ op: 'replace', path: 'groups', value: [] }), 'mutability'],
      [
        patchOp({ op: 'replace', path: 'active', value: 'perhaps' }),
        'invalidValue',
      ],
      [
        patchOp({ op: 'replace', path: 'userName', value: null }),
        'invalidValue',
      ],
    ])('rejects a bad PATCH (%j) with %s', async (body, scimType) => {
      const user = await createUser(
        client,
        `bad.patch.${scimType}.${Math.random()}@example.com`,
      );
      const res = await client.patch(`/Users/${user.id}`, body);
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe(scimType);
    });

    it('answers 404 for PATCH and PUT on unknown users', async () => {
      const patch = await client.patch(
        '/Users/00000000-0000-0000-0000-000000000000',
        patchOp({ op: 'replace', path: 'title', value: 'x' }),
      );
      expect(patch.status).toBe(404);
      const put = await client.put(
        '/Users/00000000-0000-0000-0000-000000000000',
        userBody('x@example.com'),
      );
      expect(put.status).toBe(404);
    });
  });
});
