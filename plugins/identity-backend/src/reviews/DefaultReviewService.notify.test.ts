import { mockServices } from '@backstage/backend-test-utils';
import { ReviewCampaign } from '@identity-governance/plugin-identity-common';
import { DefaultReviewService } from './DefaultReviewService';
import { ReviewNotifier } from './ReviewNotifier';
import { NewReviewItem } from './ReviewStore';

const GROUP = 'group:default/squad';
const members = ['user:default/a', 'user:default/b', 'user:default/c'];

/** A service over fakes: a group of three, a's manager is max. */
function setup(notifier: ReviewNotifier) {
  const stored: NewReviewItem[] = [];
  const campaign = {
    id: 'c-1',
    name: 'Q4',
    status: 'open',
    dueAt: '2099-01-01T00:00:00.000Z',
  } as ReviewCampaign;
  const logger = mockServices.logger.mock();
  const service = new DefaultReviewService({
    store: {
      createCampaign: async (_: unknown, items: NewReviewItem[]) => {
        stored.push(...items);
        return campaign;
      },
    } as any,
    access: {
      whoCanExport: async () =>
        (async function* rows() {
          yield [{ userRef: 'user:default/admin' }];
        })(),
    } as any,
    index: {
      getGroup: async () => ({ entityRef: GROUP }),
      queryGroupMembers: async () => ({
        items: members.map(entityRef => ({
          user: { entityRef, source: 'scim' },
          path: [GROUP],
        })),
      }),
    } as any,
    groupReviewers: { read: async () => new Map() },
    managers: {
      read: async () => new Map([['user:default/a', 'user:default/max']]),
    },
    notifier,
    logger,
    maxItems: 100,
    revocations: {} as any,
  });
  const create = () =>
    service.createCampaign(
      { userRef: 'user:default/admin', manager: true } as any,
      {
        name: 'Q4',
        scope: { type: 'groups', groups: [GROUP] },
        dueAt: '2099-01-01T00:00:00.000Z',
        defaultReviewers: ['user:default/dee'],
      },
    );
  return { create, stored, logger };
}

describe('DefaultReviewService notifications', () => {
  it('tells each assigned reviewer how many items are theirs', async () => {
    const calls: Array<Record<string, number>> = [];
    const { create, stored } = setup({
      assigned: async (_, counts) => {
        calls.push(Object.fromEntries(counts));
      },
      remind: async () => {},
    });
    await create();
    expect(stored.map(i => i.reviewer)).toEqual([
      'user:default/max',
      'user:default/dee',
      'user:default/dee',
    ]);
    expect(calls).toEqual([{ 'user:default/max': 1, 'user:default/dee': 2 }]);
  });

  it('creates the campaign when notifying fails, and logs it', async () => {
    const { create, logger } = setup({
      assigned: async () => {
        throw new Error('notifications are down');
      },
      remind: async () => {},
    });
    await expect(create()).resolves.toMatchObject({ id: 'c-1' });
    await new Promise(resolve => setImmediate(resolve));
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications are down'),
    );
  });
});
