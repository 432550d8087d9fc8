import {
  createMockDirectory,
  mockServices,
  TestBackend,
} from '@backstage/backend-test-utils';
import {
  ReviewCampaign,
  ReviewItem,
} from '@identity-governance/plugin-identity-common';
import { catalogFile } from '@identity-governance/plugin-identity-node/testUtils';
import request from 'supertest';
import { backendDatabases } from '../__testUtils__/backendDatabase';
import {
  reviewOrganisation,
  startReviewsTestBackend,
} from '../__testUtils__/reviewsTestBackend';
import { userRequests } from '../__testUtils__/userRequests';
import { eventually } from '../__testUtils__/testPolicy';
import { REVIEWERS_ANNOTATION } from './GroupReviewersReader';

jest.setTimeout(180_000);

/** In platform-admins: may manage reviews (guarded by default). */
const ADA = 'user:default/ada.admin';
const OSCAR = 'user:default/oscar.ordinary';
const SAM = 'user:default/sam.sre';
const DANA = 'user:default/dana.dev';
const LONELY = 'user:default/lonely.user';
const SQUAD = 'group:default/squad-a';
const SRE = 'group:default/sre';
const DEVELOPERS = 'group:default/developers';
/** Small enough for the privileged scope to exceed it. */
const MAX_ITEMS = 5;

const inFuture = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

describe.each(backendDatabases.eachSupportedId())(
  'access review campaigns with the real catalog, permission backend and identity policy, on %s',
  databaseId => {
    const mockDir = createMockDirectory();
    let backend: TestBackend;
    let server: TestBackend['server'];
    const auditor = mockServices.auditor.mock();

    const api = userRequests(() => server);
    const as = api.as;
    const get = (path: string, ref = ADA) => api.get(`/reviews${path}`, ref);
    const post = (path: string, body: object, ref = ADA) =>
      api.post(`/reviews${path}`, body, ref);

    async function create(body: object, ref = ADA): Promise<ReviewCampaign> {
      const res = await post('/campaigns', body, ref);
      expect({ status: res.status, error: res.body.error }).toEqual({
        status: 201,
      });
      return res.body;
    }
    async function items(
      id: string,
      ref = ADA,
      query = '',
    ): Promise<ReviewItem[]> {
      const res = await get(`/campaigns/${id}/items${query}`, ref);
      expect(res.status).toBe(200);
      return res.body.items;
    }
    const groupsScope = (groups: string[]) => ({
      name: `review of ${groups.join(', ')}`,
      scope: { type: 'groups', groups },
      dueAt: inFuture(),
    });
    const eventIds = () =>
      auditor.createEvent.mock.calls.map(call => call[0].eventId);

    beforeAll(async () => {
      mockDir.setContent({ 'org.yaml': catalogFile(reviewOrganisation(1)) });
      backend = await startReviewsTestBackend({
        databaseId,
        catalogPath: mockDir.resolve('org.yaml'),
        auditor,
        maxItems: MAX_ITEMS,
      });
      server = backend.server;
      /* eslint-disable jest/no-standalone-expect */
      await eventually(async () => {
        const res = await request(server)
          .get('/api/identity/groups/default/squad-a')
          .set(await as(ADA));
        expect(res.body.totalMemberCount).toBe(1);
        const sre = await request(server)
          .get('/api/catalog/entities/by-name/group/default/sre')
          .set(await as(ADA));
        expect(sre.body.metadata.annotations[REVIEWERS_ANNOTATION]).toBe(
          'dana.dev',
        );
        // A loaded machine (PostgreSQL after SQLite) can take over a minute.
      }, 150_000);
      /* eslint-enable jest/no-standalone-expect */
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('runs a campaign: create, decide, close, export', async () => {
      const campaign = await create({
        ...groupsScope([SQUAD, SRE, DEVELOPERS]),
        defaultReviewers: [SAM],
      });
      expect(campaign).toMatchObject({ status: 'open', itemCount: 3 });
      const all = await items(campaign.id);
      // Reviewers: the group's annotation, else the request's defaults.
      expect(
        all.map(i => [i.userRef, i.access, i.reviewer, i.path, i.source]),
      ).toEqual([
        [OSCAR, SQUAD, SAM, `${OSCAR} -> ${SQUAD}`, 'file'],
        [SAM, SRE, DANA, `${SAM} -> ${SRE}`, 'file'],
        [DANA, DEVELOPERS, SAM, `${DANA} -> ${DEVELOPERS}`, 'file'],
      ]);
      expect(all[0].managedByLocation).toMatch(/^file:/);
      expect(all[0].groupManagedByLocation).toMatch(/^file:/);

      const ofSam = await items(campaign.id, SAM);
      expect(ofSam.map(i => i.userRef)).toEqual([OSCAR, DANA]);
      const decided = await post(
        `/campaigns/${campaign.id}/decisions`,
        {
          decisions: [
            { itemId: ofSam[0].id, decision: 'keep', comment: 'on call' },
            { itemId: ofSam[1].id, decision: 'revoke' },
          ],
        },
        SAM,
      );
      expect(decided.status).toBe(200);
      expect(decided.body.items.map((i: ReviewItem) => i.decision)).toEqual([
        'keep',
        'revoke',
      ]);

      const read = await get(`/campaigns/${campaign.id}`);
      expect(read.body.decidedCount).toBe(2);
      expect(read.body.progress).toEqual([
        { reviewer: DANA, total: 1, decided: 0, kept: 0, revoked: 0 },
        { reviewer: SAM, total: 2, decided: 2, kept: 1, revoked: 1 },
      ]);

      const closed = await post(`/campaigns/${campaign.id}/close`, {});
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'closed', closedBy: ADA });

      const csv = await get(`/campaigns/${campaign.id}/export`);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe(
        'item_id,user_ref,display_name,email,access,group_ref,path,source,managed_by_location,group_managed_by_location,allowed_by,reviewer,decision,decided_by,decided_at,comment,revocation_status,revocation_effective_at,revocation_checked_at,revocation_steps',
      );
      expect(lines).toHaveLength(4);
      expect(lines[1]).toContain(`${OSCAR},oscar.ordinary,`);
      expect(lines[1]).toMatch(
        /,user:default\/sam\.sre,keep,user:default\/sam\.sre,\d{4}-.*Z,on call,,,,$/,
      );
      expect(lines[3]).toContain(',revoke,');
      expect(lines[2]).toMatch(/,user:default\/dana\.dev,,,,,,,,$/);

      expect(eventIds()).toEqual(
        expect.arrayContaining([
          'review-campaign-create',
          'review-decision',
          'review-campaign-close',
          'review-campaign-export',
        ]),
      );
    });

    it('keeps reviewers to their own items, by the API', async () => {
      const campaign = await create(groupsScope([SQUAD, SRE]));
      const [ofSam] = await items(campaign.id, SAM);
      const [ofDana] = await items(campaign.id, DANA);
      expect([ofSam.userRef, ofDana.userRef]).toEqual([OSCAR, SAM]);

      // Non-managers see their own items, whatever they ask.
      expect(
        (await items(campaign.id, DANA, '?mine=false')).map(i => i.id),
      ).toEqual([ofDana.id]);
      // A user with no items sees no campaign at all.
      expect((await get(`/campaigns/${campaign.id}`, OSCAR)).status).toBe(404);
      expect((await get(`/campaigns/${campaign.id}/items`, OSCAR)).status).toBe(
        404,
      );
      expect(
        (await get('/campaigns', OSCAR)).body.items.map(
          (c: ReviewCampaign) => c.id,
        ),
      ).not.toContain(campaign.id);
      const danasView = await get(`/campaigns/${campaign.id}`, DANA);
      expect(danasView.body.progress.map((p: any) => p.reviewer)).toEqual([
        DANA,
      ]);

      // One of dana's own and one of sam's: refused as a whole.
      const mixed = await post(
        `/campaigns/${campaign.id}/decisions`,
        {
          decisions: [
            { itemId: ofDana.id, decision: 'keep' },
            { itemId: ofSam.id, decision: 'revoke' },
          ],
        },
        DANA,
      );
      expect(mixed.status).toBe(404);
      // Even an admin decides only items assigned to them.
      const byAdmin = await post(`/campaigns/${campaign.id}/decisions`, {
        decisions: [{ itemId: ofSam.id, decision: 'keep' }],
      });
      expect(byAdmin.status).toBe(404);
      expect((await items(campaign.id)).map(i => i.decision)).toEqual([
        undefined,
        undefined,
      ]);
      // Nor may reviewers reassign, close or export.
      for (const res of [
        await post(
          `/campaigns/${campaign.id}/items/${ofSam.id}/reassign`,
          { reviewer: DANA },
          DANA,
        ),
        await post(`/campaigns/${campaign.id}/close`, {}, DANA),
        await get(`/campaigns/${campaign.id}/export`, DANA),
      ]) {
        expect(res.status).toBe(403);
      }

      // Reassigned by an admin, sam's item is dana's to decide.
      const moved = await post(
        `/campaigns/${campaign.id}/items/${ofSam.id}/reassign`,
        { reviewer: DANA },
      );
      expect(moved.status).toBe(200);
      expect((await get(`/campaigns/${campaign.id}`, SAM)).status).toBe(404);
      expect((await items(campaign.id, DANA)).map(i => i.id)).toEqual([
        ofSam.id,
        ofDana.id,
      ]);
    });

    it('scopes by permission and by privilege, with admins as the last reviewers', async () => {
      const campaign = await create({
        name: 'refresh',
        scope: { type: 'permission', permission: 'catalog.entity.refresh' },
        dueAt: inFuture(),
      });
      const all = await items(campaign.id);
      const byUser = new Map(all.map(i => [i.userRef, i]));
      // sre's rule and the admin groups, nested included.
      expect([...byUser.keys()].sort()).toEqual([
        ADA,
        'user:default/nina.nested',
        'user:default/rita.removed',
        SAM,
      ]);
      expect(byUser.get(SAM)).toMatchObject({
        reviewer: DANA,
        groupRef: SRE,
        decidedBy: 'rule identityPolicy.rules[0]',
      });
      expect(byUser.get('user:default/nina.nested')?.path).toBe(
        'user:default/nina.nested -> group:default/platform-admins-emea -> group:default/platform-admins',
      );
      // Admins review admins, but never themselves.
      for (const item of all.filter(i => i.userRef !== SAM)) {
        expect(item.reviewer).not.toBe(item.userRef);
        expect([
          ADA,
          'user:default/nina.nested',
          'user:default/rita.removed',
        ]).toContain(item.reviewer);
      }

      const privileged = await post('/campaigns', {
        name: 'privileged',
        scope: { type: 'privileged' },
        dueAt: inFuture(),
      });
      expect(privileged.status).toBe(400);
      expect(privileged.body.error.message).toMatch(
        /identity\.reviews\.maxItems/,
      );
    });

    it('freezes the population: later catalog changes never alter items', async () => {
      const campaign = await create(groupsScope([SQUAD]));
      const before = await items(campaign.id);
      expect(before.map(i => i.userRef)).toEqual([OSCAR]);

      mockDir.setContent({ 'org.yaml': catalogFile(reviewOrganisation(2)) });
      await eventually(async () => {
        const res = await request(server)
          .get('/api/identity/users/default/lonely.user')
          .set(await as(ADA));
        expect(res.body.directGroups).toEqual([SQUAD]);
        const oscar = await request(server)
          .get('/api/identity/users/default/oscar.ordinary')
          .set(await as(ADA));
        expect(oscar.body.directGroups).toEqual([DEVELOPERS]);
      });

      expect(await items(campaign.id)).toEqual(before);
      const later = await create(groupsScope([SQUAD]));
      expect((await items(later.id)).map(i => i.userRef)).toEqual([LONELY]);
    });

    it('is read-only once closed', async () => {
      const campaign = await create(groupsScope([SRE]));
      const [item] = await items(campaign.id);
      expect((await post(`/campaigns/${campaign.id}/close`, {})).status).toBe(
        200,
      );
      const decide = await post(
        `/campaigns/${campaign.id}/decisions`,
        { decisions: [{ itemId: item.id, decision: 'keep' }] },
        DANA,
      );
      expect(decide.status).toBe(409);
      expect(decide.body.error.name).toBe('ConflictError');
      const reassign = await post(
        `/campaigns/${campaign.id}/items/${item.id}/reassign`,
        { reviewer: SAM },
      );
      expect(reassign.status).toBe(409);
      expect((await post(`/campaigns/${campaign.id}/close`, {})).status).toBe(
        409,
      );
      expect((await items(campaign.id))[0]).toEqual(item);
    });

    it('answers bad input with 400 and lets only managers create', async () => {
      const expect400 = async (res: request.Response) => {
        expect({ status: res.status, name: res.body.error?.name }).toEqual({
          status: 400,
          name: 'InputError',
        });
      };
      const due = inFuture();
      await expect400(
        await post('/campaigns', {
          name: 'x',
          scope: { type: 'everyone' },
          dueAt: due,
        }),
      );
      await expect400(
        await post('/campaigns', {
          ...groupsScope([SRE]),
          dueAt: '2020-01-01T00:00:00Z',
        }),
      );
      await expect400(
        await post('/campaigns', {
          name: 'x',
          scope: { type: 'permission', permission: 'no.such.permission' },
          dueAt: due,
        }),
      );
      await expect400(
        await post('/campaigns', groupsScope(['group:default/no-such-group'])),
      );
      await expect400(await post('/campaigns', groupsScope(['not a ref'])));
      await expect400(await get('/campaigns/not-a-uuid'));
      await expect400(
        await post('/campaigns/not-a-uuid/decisions', {
          decisions: [{ itemId: 'x', decision: 'keep' }],
        }),
      );
      const campaign = await create(groupsScope([SRE]));
      const [item] = await items(campaign.id);
      await expect400(
        await post(
          `/campaigns/${campaign.id}/decisions`,
          { decisions: [{ itemId: item.id, decision: 'maybe' }] },
          DANA,
        ),
      );
      await expect400(
        await post(`/campaigns/${campaign.id}/items/${item.id}/reassign`, {
          reviewer: 'group:default/sre',
        }),
      );
      await expect400(await get(`/campaigns/${campaign.id}/items?limit=0`));

      const denied = await post('/campaigns', groupsScope([SRE]), OSCAR);
      expect(denied.status).toBe(403);
      const unknown = await get(
        '/campaigns/00000000-0000-4000-8000-000000000000',
      );
      expect(unknown.status).toBe(404);
    });
  },
);
