import { mockServices } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { ReviewCampaign } from '@identity-governance/plugin-identity-common';
import { NotificationsReviewNotifier } from './NotificationsReviewNotifier';

const campaign = {
  id: 'c-1',
  name: 'Q4 admins',
  status: 'open',
  dueAt: '2026-12-31T00:00:00.000Z',
} as ReviewCampaign;

function setup(fail?: (o: NotificationSendOptions) => boolean) {
  const sent: NotificationSendOptions[] = [];
  const logger = mockServices.logger.mock();
  const notifier = new NotificationsReviewNotifier(
    {
      send: async options => {
        if (fail?.(options)) {
          throw new Error('notifications backend is down');
        }
        sent.push(options);
      },
    },
    logger,
  );
  return { notifier, sent, logger };
}

describe('NotificationsReviewNotifier', () => {
  it('sends one notification per count, to the reviewers with that count, linking the campaign', async () => {
    const { notifier, sent } = setup();
    await notifier.assigned(
      campaign,
      new Map([
        ['user:default/sam', 3],
        ['user:default/dee', 1],
        ['user:default/max', 3],
        ['user:default/none', 0],
      ]),
    );
    const byRecipients = Object.fromEntries(
      sent.map(s => [
        JSON.stringify(
          s.recipients.type === 'entity' ? s.recipients.entityRef : [],
        ),
        s.payload,
      ]),
    );
    expect(byRecipients).toEqual({
      '["user:default/sam","user:default/max"]': {
        title: 'Access review: Q4 admins',
        description: 'You have 3 items to review, due 2026-12-31.',
        link: '/identity/reviews/c-1',
        severity: 'normal',
        topic: 'Access review: Q4 admins',
        scope: 'identity-review:c-1:assigned',
      },
      '["user:default/dee"]': expect.objectContaining({
        description: 'You have 1 item to review, due 2026-12-31.',
        scope: 'identity-review:c-1:assigned',
      }),
    });
  });

  it('reminds under a scope of its own', async () => {
    const { notifier, sent } = setup();
    await notifier.remind(campaign, new Map([['user:default/sam', 2]]));
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: ['user:default/sam'] },
        payload: expect.objectContaining({
          title: 'Access review due 2026-12-31: Q4 admins',
          scope: 'identity-review:c-1:reminder',
          link: '/identity/reviews/c-1',
        }),
      },
    ]);
  });

  it('logs a failed send, goes on with the others, and does not throw', async () => {
    const { notifier, sent, logger } = setup(
      o =>
        o.recipients.type === 'entity' &&
        o.recipients.entityRef.includes('user:default/sam'),
    );
    await expect(
      notifier.assigned(
        campaign,
        new Map([
          ['user:default/sam', 2],
          ['user:default/dee', 1],
        ]),
      ),
    ).resolves.toBeUndefined();
    expect(sent.map(s => s.recipients)).toEqual([
      { type: 'entity', entityRef: ['user:default/dee'] },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not notify user:default/sam'),
    );
  });
});
