import { ConflictError, NotFoundError } from '@backstage/errors';
import { storeDatabases } from '../__testUtils__/identityStoreSetup';
import { DatabaseIdentityStore } from '../store/DatabaseIdentityStore';
import { mockServices } from '@backstage/backend-test-utils';
import { DatabaseReviewStore } from './DatabaseReviewStore';
import { DatabaseRevocationStore } from './DatabaseRevocationStore';
import { NewReviewItem } from './ReviewStore';

jest.setTimeout(60_000);

const A = 'user:default/a';
const B = 'user:default/b';

function item(userRef: string, reviewer: string): NewReviewItem {
  return {
    userRef,
    displayName: userRef.slice(13),
    access: 'group:default/g',
    groupRef: 'group:default/g',
    path: `${userRef} -> group:default/g`,
    source: 'file',
    managedByLocation: 'file:/org.yaml',
    reviewer,
  };
}

describe.each(storeDatabases.eachSupportedId())(
  'DatabaseReviewStore on %s',
  id => {
    async function setup() {
      const knex = await storeDatabases.init(id);
      // The identity store runs the plugin's migrations, these included.
      await DatabaseIdentityStore.create({
        database: mockServices.database({ knex }),
      });
      const store = new DatabaseReviewStore(knex);
      const campaign = await store.createCampaign(
        {
          name: 'Q4',
          scope: { type: 'groups', groups: ['group:default/g'] },
          createdBy: 'user:default/admin',
          createdAt: '2026-01-01T00:00:00.000Z',
          dueAt: '2026-02-01T00:00:00.000Z',
        },
        // More than one insert chunk, in a known order.
        Array.from({ length: 120 }, (_, i) =>
          item(`user:default/u${String(i).padStart(3, '0')}`, i < 60 ? A : B),
        ),
      );
      return { knex, store, campaign };
    }

    it('stores a campaign and its items in order, and pages and filters them', async () => {
      const { store, campaign } = await setup();
      expect(campaign).toMatchObject({
        name: 'Q4',
        status: 'open',
        itemCount: 120,
        decidedCount: 0,
        scope: { type: 'groups', groups: ['group:default/g'] },
      });
      const page = await store.queryItems(campaign.id, {
        reviewer: B,
        offset: 10,
        limit: 5,
      });
      expect(page.totalItems).toBe(60);
      expect(page.items.map(i => i.userRef)).toEqual(
        [70, 71, 72, 73, 74].map(n => `user:default/u0${n}`),
      );
      expect(page.items[0]).toMatchObject({
        source: 'file',
        managedByLocation: 'file:/org.yaml',
        reviewer: B,
      });
      expect(page.items[0].decision).toBeUndefined();
      const found = await store.queryItems(campaign.id, {
        q: 'U11',
        offset: 0,
        limit: 50,
      });
      expect(found.totalItems).toBe(10);
      // LIKE wildcards in q are literal.
      expect(
        (await store.queryItems(campaign.id, { q: '%', offset: 0, limit: 1 }))
          .totalItems,
      ).toBe(0);
      const streamed = [];
      for await (const batch of store.streamItems(campaign.id, 50)) {
        streamed.push(...batch);
      }
      expect(streamed.map(i => i.userRef)).toEqual(
        (
          await store.queryItems(campaign.id, { offset: 0, limit: 500 })
        ).items.map(i => i.userRef),
      );
      expect(await store.listCampaigns(A)).toHaveLength(1);
      expect(await store.listCampaigns('user:default/nobody')).toEqual([]);
    });

    it('decides only the reviewer’s own items, all or nothing, and counts progress', async () => {
      const { store, campaign } = await setup();
      const { items } = await store.queryItems(campaign.id, {
        offset: 0,
        limit: 500,
      });
      const ofA = items.filter(i => i.reviewer === A);
      const ofB = items.filter(i => i.reviewer === B);
      await expect(
        store.decide(
          campaign.id,
          B,
          [
            { itemId: ofB[0].id, decision: 'keep' },
            { itemId: ofA[0].id, decision: 'revoke' },
          ],
          '2026-01-02T00:00:00.000Z',
        ),
      ).rejects.toThrow(NotFoundError);
      expect(
        (await store.getItems(campaign.id, [ofA[0].id, ofB[0].id])).map(
          i => i.decision,
        ),
      ).toEqual([undefined, undefined]);

      const decided = await store.decide(
        campaign.id,
        B,
        [
          { itemId: ofB[0].id, decision: 'keep', comment: 'needed' },
          { itemId: ofB[1].id, decision: 'revoke' },
        ],
        '2026-01-02T00:00:00.000Z',
      );
      expect(decided).toEqual([
        expect.objectContaining({
          id: ofB[0].id,
          decision: 'keep',
          comment: 'needed',
          decidedAt: '2026-01-02T00:00:00.000Z',
          decidedByRef: B,
        }),
        expect.objectContaining({ id: ofB[1].id, decision: 'revoke' }),
      ]);
      expect(await store.progress(campaign.id)).toEqual([
        { reviewer: A, total: 60, decided: 0, kept: 0, revoked: 0 },
        { reviewer: B, total: 60, decided: 2, kept: 1, revoked: 1 },
      ]);
      expect((await store.getCampaign(campaign.id))?.decidedCount).toBe(2);
    });

    it('stores revocations with revoke decisions and the watch’s checks, also once closed', async () => {
      const { knex, store, campaign } = await setup();
      const revocations = new DatabaseRevocationStore(knex);
      const ofA = (
        await store.queryItems(campaign.id, {
          reviewer: A,
          offset: 0,
          limit: 3,
        })
      ).items;
      const step = {
        kind: 'file' as const,
        source: 'file',
        target: '/org.yaml',
        line: 7,
        change: 'Remove group:default/g from spec.memberOf',
      };
      const decided = await store.decide(
        campaign.id,
        A,
        ofA.map((i, n) => ({
          itemId: i.id,
          decision: n < 2 ? ('revoke' as const) : ('keep' as const),
          steps: n < 2 ? [step] : undefined,
        })),
        '2026-01-02T00:00:00.000Z',
      );
      expect(decided.map(i => i.revocation)).toEqual([
        { status: 'pending', steps: [step] },
        { status: 'pending', steps: [step] },
        undefined,
      ]);

      const pending = await revocations.listPending({
        limit: 1,
        uncheckedOnly: true,
      });
      const [first, second] = [...ofA.slice(0, 2)].sort((x, y) =>
        x.id < y.id ? -1 : 1,
      );
      expect(pending).toEqual([
        {
          itemId: first.id,
          campaignId: campaign.id,
          userRef: first.userRef,
          access: 'group:default/g',
          groupRef: 'group:default/g',
        },
      ]);
      expect(
        (
          await revocations.listPending({
            afterId: first.id,
            limit: 10,
            uncheckedOnly: true,
          })
        ).map(p => p.itemId),
      ).toEqual([second.id]);

      await revocations.recordCheck('2026-01-03T00:00:00.000Z', {
        effective: [],
        pending: [first.id, second.id],
      });
      expect(
        await revocations.listPending({ limit: 10, uncheckedOnly: true }),
      ).toEqual([]);
      expect(
        await revocations.listPending({ limit: 10, uncheckedOnly: false }),
      ).toHaveLength(2);

      // A revoke repeated keeps the revocation under watch.
      await store.decide(
        campaign.id,
        A,
        [
          {
            itemId: first.id,
            decision: 'revoke',
            comment: 'really',
            steps: [],
          },
        ],
        '2026-01-04T00:00:00.000Z',
      );
      // Checks land after a close too: the evidence says what happened.
      await store.close(
        campaign.id,
        'user:default/admin',
        '2026-01-05T00:00:00.000Z',
      );
      await revocations.recordCheck('2026-01-06T00:00:00.000Z', {
        effective: [first.id],
        pending: [second.id],
      });
      const byId = new Map(
        (await store.getItems(campaign.id, [first.id, second.id])).map(i => [
          i.id,
          i,
        ]),
      );
      const [one, two] = [byId.get(first.id)!, byId.get(second.id)!];
      expect(one.comment).toBe('really');
      expect(one.revocation).toEqual({
        status: 'effective',
        effectiveAt: '2026-01-06T00:00:00.000Z',
        checkedAt: '2026-01-06T00:00:00.000Z',
        steps: [step],
      });
      expect(two.revocation).toEqual({
        status: 'pending',
        checkedAt: '2026-01-06T00:00:00.000Z',
        steps: [step],
      });
      // An effective revocation is not checked again.
      expect(
        (
          await revocations.listPending({ limit: 10, uncheckedOnly: false })
        ).map(p => p.itemId),
      ).toEqual([second.id]);
    });

    it('clears the revocation when a revoke becomes a keep', async () => {
      const { store, campaign } = await setup();
      const [only] = (
        await store.queryItems(campaign.id, {
          reviewer: A,
          offset: 0,
          limit: 1,
        })
      ).items;
      const step = { kind: 'other' as const, source: 'ldap', change: 'x' };
      await store.decide(
        campaign.id,
        A,
        [{ itemId: only.id, decision: 'revoke', steps: [step] }],
        '2026-01-02T00:00:00.000Z',
      );
      const [kept] = await store.decide(
        campaign.id,
        A,
        [{ itemId: only.id, decision: 'keep' }],
        '2026-01-03T00:00:00.000Z',
      );
      expect(kept.revocation).toBeUndefined();
      const [again] = await store.decide(
        campaign.id,
        A,
        [{ itemId: only.id, decision: 'revoke', steps: [] }],
        '2026-01-04T00:00:00.000Z',
      );
      expect(again.revocation).toEqual({ status: 'pending', steps: [] });
    });

    it('refuses decisions and reassignments once closed', async () => {
      const { store, campaign } = await setup();
      const [first] = (
        await store.queryItems(campaign.id, {
          reviewer: A,
          offset: 0,
          limit: 1,
        })
      ).items;
      expect((await store.reassign(campaign.id, first.id, B)).reviewer).toBe(B);
      const closed = await store.close(
        campaign.id,
        'user:default/admin',
        '2026-01-03T00:00:00.000Z',
      );
      expect(closed).toMatchObject({
        status: 'closed',
        closedAt: '2026-01-03T00:00:00.000Z',
        closedBy: 'user:default/admin',
      });
      await expect(
        store.decide(
          campaign.id,
          B,
          [{ itemId: first.id, decision: 'keep' }],
          'x',
        ),
      ).rejects.toThrow(ConflictError);
      await expect(store.reassign(campaign.id, first.id, A)).rejects.toThrow(
        ConflictError,
      );
      await expect(
        store.close(campaign.id, 'user:default/admin', 'x'),
      ).rejects.toThrow(ConflictError);
      expect((await store.getItems(campaign.id, [first.id]))[0]).toMatchObject({
        reviewer: B,
      });
      expect((await store.getItems(campaign.id, [first.id]))[0].decision).toBe(
        undefined,
      );
    });
  },
);
