import {
  ENTERPRISE,
  GROUP_SCHEMA,
  OKTA_TOKEN,
  ScimClient,
  createUser,
  patchOp,
  scimClient,
  startScimBackend,
  userBody,
} from '../__testUtils__/scimTestBackend';

describe('filters over the SCIM protocol', () => {
  let backend: Awaited<ReturnType<typeof startScimBackend>>['backend'];
  let client: ScimClient;

  beforeAll(async () => {
    ({ backend, client } = await startScimBackend());
  });

  afterAll(async () => {
    await backend.stop();
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
      const user = await createUser(client, 'deep.path@example.com');
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
});
