import { mockServices } from '@backstage/backend-test-utils';
import { ReviewCampaign } from '@identity-governance/plugin-identity-common';
import { storeDatabases } from '../__testUtils__/identityStoreSetup';
import { DatabaseIdentityStore } from '../store/DatabaseIdentityStore';
import { DatabaseReviewStore } from './DatabaseReviewStore';
import { DatabaseReminderLedger, ReviewReminders } from './ReviewReminders';
import { ReviewNotifier } from './ReviewNotifier';
import { NewReviewItem } from './ReviewStore';

jest.setTimeout(60_000);

const SAM = 'user:default/sam';
const DEE = 'user:default/dee';
const DAY = 24 * 3600_000;
const NOW = new Date('2026-06-10T12:00:00.000Z');

function item(userRef: string, reviewer: string): NewReviewItem {
  return {
    userRef,
    access: 'group:default/g',
    groupRef: 'group:default/g',
    path: `${userRef} -> group:default/g`,
    source: 'file',
    reviewer,
  };
}

class RecordingNotifier implements ReviewNotifier {
  reminders: Array<{ campaign: string; counts: Record<string, number> }> = [];
  async assigned() {}
  async remind(campaign: ReviewCampaign, counts: Map<string, number>) {
    this.reminders.push({
      campaign: campaign.name,
      counts: Object.fromEntries(counts),
    });
  }
}

describe.each(storeDatabases.eachSupportedId())('ReviewReminders on %s', id => {
  it('reminds the undecided reviewers of open campaigns due soon, once across replicas and runs', async () => {
    const knex = await storeDatabases.init(id);
    await DatabaseIdentityStore.create({
      database: mockServices.database({ knex }),
    });
    const store = new DatabaseReviewStore(knex);
    const create = (name: string, dueInMs: number) =>
      store.createCampaign(
        {
          name,
          scope: { type: 'groups', groups: ['group:default/g'] },
          createdBy: 'user:default/admin',
          createdAt: '2026-06-01T00:00:00.000Z',
          dueAt: new Date(NOW.getTime() + dueInMs).toISOString(),
        },
        [
          item('user:default/a', SAM),
          item('user:default/b', SAM),
          item('user:default/c', DEE),
        ],
      );
    const soon = await create('soon', DAY);
    await create('later', 5 * DAY);
    await create('overdue', -DAY);
    const closed = await create('closed', DAY);
    await store.close(closed.id, 'user:default/admin', NOW.toISOString());
    // dee has decided everything in `soon`: nothing to remind dee of.
    const [deeItem] = (
      await store.queryItems(soon.id, {
        reviewer: DEE,
        offset: 0,
        limit: 10,
      })
    ).items;
    await store.decide(
      soon.id,
      DEE,
      [{ itemId: deeItem.id, decision: 'keep' }],
      NOW.toISOString(),
    );

    const notifier = new RecordingNotifier();
    const replica = () =>
      new ReviewReminders({
        store: new DatabaseReviewStore(knex),
        ledger: new DatabaseReminderLedger(knex),
        notifier,
        reminderBeforeMs: 2 * DAY,
        logger: mockServices.logger.mock(),
        now: () => NOW,
      });
    const [first, second] = await Promise.all([
      replica().run(),
      replica().run(),
    ]);
    expect([...first, ...second]).toEqual([soon.id]);
    expect(await replica().run()).toEqual([]);
    expect(notifier.reminders).toEqual([
      { campaign: 'soon', counts: { [SAM]: 2 } },
    ]);
  });
});
