import { mockServices } from '@backstage/backend-test-utils';
import { ClosureRow } from '../store/IdentityStore';
import { PendingRevocation, RevocationStore } from './RevocationStore';
import { RevocationWatch } from './RevocationWatch';

const G = 'group:default/g';

/** Pending items in memory, as the database store keeps them. */
function memoryStore(items: PendingRevocation[]) {
  const state = new Map(
    items.map(i => [
      i.itemId,
      {
        item: i,
        status: 'pending',
        checkedAt: undefined as string | undefined,
      },
    ]),
  );
  const store: RevocationStore = {
    async listPending({ afterId, limit, uncheckedOnly }) {
      return [...state.values()]
        .filter(s => s.status === 'pending')
        .filter(s => !uncheckedOnly || !s.checkedAt)
        .map(s => s.item)
        .filter(i => afterId === undefined || i.itemId > afterId)
        .sort((a, b) => (a.itemId < b.itemId ? -1 : 1))
        .slice(0, limit);
    },
    async recordCheck(at, { effective, pending }) {
      for (const id of effective) {
        state.get(id)!.status = 'effective';
        state.get(id)!.checkedAt = at;
      }
      for (const id of pending) {
        state.get(id)!.checkedAt = at;
      }
    },
  };
  return { store, state };
}

describe('RevocationWatch', () => {
  const row = (userRef: string, groupRef: string): ClosureRow => ({
    userRef,
    groupRef,
    direct: true,
    path: [groupRef],
  });

  it('marks effective what the index no longer grants, a deleted user included', async () => {
    const items: PendingRevocation[] = Array.from({ length: 1203 }, (_, i) => ({
      itemId: `item-${String(i).padStart(5, '0')}`,
      campaignId: 'c',
      userRef: `user:default/u${i}`,
      access: G,
      groupRef: G,
    }));
    const { store, state } = memoryStore(items);
    // u0 still in g; u1 in another group only; u2 gone from the catalog
    // (no closure); everyone else still in g through a nested group.
    const getClosure = jest.fn(async (refs: string[]) => {
      const m = new Map<string, ClosureRow[]>();
      for (const ref of refs) {
        if (ref === 'user:default/u1') {
          m.set(ref, [row(ref, 'group:default/other')]);
        } else if (ref !== 'user:default/u2') {
          m.set(ref, [row(ref, 'group:default/child'), row(ref, G)]);
        }
      }
      return m;
    });
    const auditor = mockServices.auditor.mock();
    const watch = new RevocationWatch({
      store,
      index: { getClosure, getUser: jest.fn() },
      auditor,
      now: () => new Date('2026-12-05T00:00:00.000Z'),
    });

    expect(await watch.check(true)).toEqual({ checked: 1203, effective: 2 });
    // In batches, not one read per item nor one for all.
    expect(getClosure).toHaveBeenCalledTimes(3);
    expect(
      [...state.values()]
        .filter(s => s.status === 'effective')
        .map(s => s.item.userRef),
    ).toEqual(['user:default/u1', 'user:default/u2']);
    expect(
      [...state.values()].every(
        s => s.checkedAt === '2026-12-05T00:00:00.000Z',
      ),
    ).toBe(true);
    const events = auditor.createEvent.mock.calls.map(c => c[0]);
    expect(events.map(e => e.eventId)).toEqual(['review-revocation-effective']);
    expect((events[0].meta as any).items.map((i: any) => i.userRef)).toEqual([
      'user:default/u1',
      'user:default/u2',
    ]);

    // Nothing changed in the index: only never-compared items are read.
    getClosure.mockClear();
    expect(await watch.check(false)).toEqual({ checked: 0, effective: 0 });
    expect(getClosure).not.toHaveBeenCalled();
  });
});
