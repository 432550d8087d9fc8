import request from 'supertest';
import {
  ENTERPRISE,
  GROUP_SCHEMA,
  OKTA_TOKEN,
  ScimClient,
  patchOp,
  scimClient,
  startScimBackend,
  userBody,
} from '../__testUtils__/scimTestBackend';

describe('SCIM HTTP API', () => {
  let backend: Awaited<ReturnType<typeof startScimBackend>>['backend'];
  let client: ScimClient;

  beforeAll(async () => {
    ({ backend, client } = await startScimBackend());
  });

  afterAll(async () => {
    await backend.stop();
  });

  async function createUser(userName: string, extra = {}) {
    const res = await client.post('/Users', userBody(userName, extra));
    expect(res.status).toBe(201);
    return res.body;
  }

  describe('authentication and content types', () => {
    it('rejects requests without a valid token with a SCIM 401', async () => {
      const res = await request(backend.server)
        .get('/api/scim/v2/Users')
        .set('Authorization', 'Bearer wrong');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
      expect(res.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: expect.any(String),
      });
      const none = await request(backend.server).get('/api/scim/v2/Users');
      expect(none.status).toBe(401);
    });

    it('accepts application/json as well as application/scim+json', async () => {
      const res = await request(backend.server)
        .post('/api/scim/v2/Users')
        .set('Authorization', `Bearer ${OKTA_TOKEN}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(userBody('json.user@example.com')));
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
    });

    it('rejects other content types and invalid JSON', async () => {
      const res = await request(backend.server)
        .post('/api/scim/v2/Users')
        .set('Authorization', `Bearer ${OKTA_TOKEN}`)
        .set('Content-Type', 'text/plain')
        .send('userName=x');
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('invalidSyntax');
      const bad = await request(backend.server)
        .post('/api/scim/v2/Users')
        .set('Authorization', `Bearer ${OKTA_TOKEN}`)
        .set('Content-Type', 'application/scim+json')
        .send('{"userName": ');
      expect(bad.status).toBe(400);
      expect(bad.body.scimType).toBe('invalidSyntax');
    });

    it('keeps each identity provider to its own resources', async () => {
      const user = await createUser('isolated@example.com');
      const okta = scimClient(backend.server, OKTA_TOKEN);
      expect((await okta.get(`/Users/${user.id}`)).status).toBe(404);
      expect((await client.get(`/Users/${user.id}`)).status).toBe(200);
    });
  });

  describe('optional features it does not implement', () => {
    it.each([
      ['get', '/Me'],
      ['patch', '/Me'],
      ['post', '/Bulk'],
      ['post', '/.search'],
      ['post', '/Users/.search'],
      ['post', '/Groups/.search'],
    ])('answers %s %s with a SCIM 501', async (method, path) => {
      const res =
        method === 'get'
          ? await client.get(path)
          : await (client as any)[method](path, {});
      expect(res.status).toBe(501);
      expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
      expect(res.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '501',
        detail: expect.any(String),
      });
    });
  });

  describe('discovery endpoints', () => {
    it('serves ServiceProviderConfig that tells what is supported', async () => {
      const res = await client.get('/ServiceProviderConfig');
      expect(res.status).toBe(200);
      expect(res.body.patch.supported).toBe(true);
      expect(res.body.bulk.supported).toBe(false);
      expect(res.body.sort.supported).toBe(false);
      expect(res.body.etag.supported).toBe(true);
      expect(res.body.filter).toEqual({ supported: true, maxResults: 1000 });
      expect(res.body.authenticationSchemes[0].type).toBe('oauthbearertoken');
    });

    it('serves Schemas and ResourceTypes', async () => {
      const schemas = await client.get('/Schemas');
      expect(schemas.body.Resources.map((s: any) => s.id)).toEqual([
        'urn:ietf:params:scim:schemas:core:2.0:User',
        ENTERPRISE,
        GROUP_SCHEMA,
      ]);
      const user = await client.get(
        '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User',
      );
      expect(
        user.body.attributes.find((a: any) => a.name === 'userName'),
      ).toMatchObject({
        required: true,
        uniqueness: 'server',
        caseExact: false,
      });
      const types = await client.get('/ResourceTypes');
      expect(types.body.Resources).toEqual([
        expect.objectContaining({
          id: 'User',
          endpoint: '/Users',
          schemaExtensions: [{ schema: ENTERPRISE, required: false }],
        }),
        expect.objectContaining({ id: 'Group', endpoint: '/Groups' }),
      ]);
      expect((await client.get('/ResourceTypes/Group')).body.id).toBe('Group');
      expect((await client.get('/Schemas/nope')).status).toBe(404);
      expect((await client.get('/Nope')).status).toBe(404);
    });
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
      await createUser('Unique.Person@example.com');
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
      const user = await createUser('conditional.user@example.com');
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
      const user = await createUser('etag.user@example.com');
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
        await createUser(`pager${i}@paging.example.com`);
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
      const user = await createUser('projection@example.com', {
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

  describe('filters', () => {
    let ids: Record<string, string>;

    beforeAll(async () => {
      const okta = scimClient(backend.server, OKTA_TOKEN);
      const make = async (userName: string, extra: any) =>
        (await okta.post('/Users', userBody(userName, extra))).body.id;
      ids = {
        alice: await make('Alice@Filter.test', {
          title: 'Engineer',
          emails: [
            { value: 'alice@work.test', type: 'work', primary: true },
            { value: 'alice@home.test', type: 'home' },
          ],
          name: { familyName: "O'Hara" },
          [ENTERPRISE]: { department: 'Platform', employeeNumber: '100' },
        }),
        bob: await make('bob@filter.test', {
          title: 'Manager',
          active: false,
          emails: [{ value: 'bob@home.test', type: 'home' }],
          [ENTERPRISE]: { department: 'Sales', employeeNumber: '200' },
        }),
        carol: await make('carol_100%@filter.test', {
          emails: [{ value: 'carol@work.test', type: 'work' }],
        }),
      };
    });

    const okta = () => scimClient(backend.server, OKTA_TOKEN);
    async function matching(filter: string): Promise<string[]> {
      const res = await okta().get(
        `/Users?filter=${encodeURIComponent(filter)}`,
      );
      expect(res.status).toBe(200);
      const byId = Object.fromEntries(
        Object.entries(ids).map(([k, v]) => [v, k]),
      );
      return res.body.Resources.map((r: any) => byId[r.id]).sort();
    }

    it.each([
      ['userName eq "alice@filter.test"', ['alice']],
      ['USERNAME Eq "ALICE@FILTER.TEST"', ['alice']],
      ['userName ne "alice@filter.test"', ['bob', 'carol']],
      ['userName co "100%"', ['carol']],
      ['userName co "_100"', ['carol']],
      ['userName sw "bo"', ['bob']],
      ['userName ew "filter.test"', ['alice', 'bob', 'carol']],
      ['title pr', ['alice', 'bob']],
      ['not (title pr)', ['carol']],
      ['title eq "engineer" or title eq "manager"', ['alice', 'bob']],
      ['title pr and not (active eq false)', ['alice']],
      [
        '(title eq "Engineer" or userName sw "carol") and active eq true',
        ['alice', 'carol'],
      ],
      ['active eq false', ['bob']],
      ['emails[type eq "work" and value co "alice"]', ['alice']],
      ['emails[type eq "work"].value eq "carol@work.test"', ['carol']],
      ['emails[type eq "home"].value eq "carol@work.test"', []],
      ['emails.value eq "bob@home.test"', ['bob']],
      ['emails eq "alice@home.test"', ['alice']],
      ['emails[not (type eq "work")]', ['alice', 'bob']],
      ['emails pr', ['alice', 'bob', 'carol']],
      ['name.familyName eq "o\'hara"', ['alice']],
      [`${ENTERPRISE}:department eq "Sales"`, ['bob']],
      ['employeeNumber gt "100"', ['bob']],
      ['employeeNumber ge "100"', ['alice', 'bob']],
      ['employeeNumber lt "200"', ['alice']],
      ['employeeNumber le "200"', ['alice', 'bob']],
      ['meta.created gt "2000-01-01T00:00:00Z"', ['alice', 'bob', 'carol']],
      ['meta.lastModified lt "2000-01-01T00:00:00Z"', []],
    ])('%s', async (filter, expected) => {
      expect(await matching(filter)).toEqual(expected);
    });

    it.each([
      'userName eq',
      'userName foo "x"',
      'password eq "x"',
      'active gt true',
      'meta.created gt "not a date"',
      'emails[type eq "work"',
    ])('rejects %s with 400 invalidFilter', async filter => {
      const res = await okta().get(
        `/Users?filter=${encodeURIComponent(filter)}`,
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        status: '400',
        scimType: 'invalidFilter',
      });
    });
    it.each([
      [
        'nested 1,000 levels deep',
        `${'not('.repeat(1000)}userName pr${')'.repeat(1000)}`,
        'Filter is longer than 4096 characters',
      ],
      [
        'in 1,000 parentheses',
        `${'('.repeat(1000)}userName pr${')'.repeat(1000)}`,
        'Filter is nested more than 32 levels deep (parentheses, value filters and not)',
      ],
      [
        'with 101 comparisons',
        Array.from({ length: 101 }, (_, i) => `title eq "${i}"`).join(' or '),
        'Filter has more than 100 comparisons',
      ],
    ])(
      'answers a filter %s with 400 invalidFilter, not a stack overflow',
      async (_name, filter, detail) => {
        for (const resource of ['Users', 'Groups']) {
          const res = await client.get(
            `/${resource}?filter=${encodeURIComponent(filter)}`,
          );
          expect(res.status).toBe(400);
          expect(res.headers['content-type']).toMatch(
            /application\/scim\+json/,
          );
          expect(res.body).toEqual({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: '400',
            scimType: 'invalidFilter',
            detail,
          });
        }
      },
    );

    it('applies the same limits to a PATCH path filter', async () => {
      const user = await createUser('deep.path@example.com');
      const group = (
        await client.post('/Groups', {
          schemas: [GROUP_SCHEMA],
          displayName: 'Deep Path',
          members: [{ value: user.id }],
        })
      ).body;
      const res = await client.patch(
        `/Groups/${group.id}`,
        patchOp({
          op: 'remove',
          path: `members[${'not('.repeat(40)}value eq "${user.id}"${')'.repeat(
            40,
          )}]`,
        }),
      );
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '400',
        scimType: 'invalidFilter',
        detail:
          'Filter is nested more than 32 levels deep (parentheses, value filters and not)',
      });
      const huge = await client.patch(
        `/Users/${user.id}`,
        patchOp({
          op: 'remove',
          path: `emails[${'not('.repeat(1000)}value pr${')'.repeat(1000)}]`,
        }),
      );
      expect(huge.status).toBe(400);
      expect(huge.body).toMatchObject({
        scimType: 'invalidFilter',
        detail: 'Filter is longer than 4096 characters',
      });
      const kept = await client.get(`/Groups/${group.id}`);
      expect(kept.body.members.map((m: any) => m.value)).toEqual([user.id]);
    });
  });

  describe('PATCH on users', () => {
    it('adds, replaces and removes with and without paths', async () => {
      const user = await createUser('patchy@example.com', {
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
      const user = await createUser('entra.shapes@example.com');
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
      const user = await createUser('clearing@example.com', {
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
      const user = await createUser('filterpath@example.com', {
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

  describe('Groups', () => {
    it('creates groups with members, lists members and user.groups', async () => {
      const u1 = await createUser('g.member1@example.com');
      const u2 = await createUser('g.member2@example.com');
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
        users.push(await createUser(`bulk${i}@example.com`));
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
