import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ReviewCampaign } from '@identity-governance/plugin-identity-common';
import { campaignLink, ReviewNotifier } from './ReviewNotifier';

/** Sends at once; a campaign's reviewers are grouped by count first. */
const CONCURRENCY = 4;

const plural = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
const day = (iso: string) => iso.slice(0, 10);

/**
 * Sends Backstage notifications to reviewers (entity recipients). Each kind
 * of notice has a scope per campaign, so that sending it again (a reassign,
 * a retry) updates the reviewer's notification instead of adding one.
 * Reviewers with the same count get one send naming all of them: a campaign
 * of 5,000 people makes a few requests, not one per reviewer.
 */
export class NotificationsReviewNotifier implements ReviewNotifier {
  constructor(
    private readonly notifications: NotificationService,
    private readonly logger: LoggerService,
  ) {}

  assigned(
    campaign: ReviewCampaign,
    itemsByReviewer: Map<string, number>,
  ): Promise<void> {
    return this.sendAll(campaign, itemsByReviewer, 'assigned', count => ({
      title: `Access review: ${campaign.name}`,
      description: `You have ${plural(count)} to review, due ${day(
        campaign.dueAt,
      )}.`,
    }));
  }

  remind(
    campaign: ReviewCampaign,
    undecidedByReviewer: Map<string, number>,
  ): Promise<void> {
    return this.sendAll(campaign, undecidedByReviewer, 'reminder', count => ({
      title: `Access review due ${day(campaign.dueAt)}: ${campaign.name}`,
      description: `${plural(count)} still to review before ${campaign.dueAt}.`,
    }));
  }

  private async sendAll(
    campaign: ReviewCampaign,
    counts: Map<string, number>,
    kind: 'assigned' | 'reminder',
    text: (count: number) => Pick<NotificationPayload, 'title' | 'description'>,
  ): Promise<void> {
    const byCount = new Map<number, string[]>();
    for (const [reviewer, count] of counts) {
      if (count > 0) {
        byCount.set(count, [...(byCount.get(count) ?? []), reviewer]);
      }
    }
    const sends = [...byCount].map(([count, reviewers]) => async () => {
      try {
        await this.notifications.send({
          recipients: { type: 'entity', entityRef: reviewers },
          payload: {
            ...text(count),
            link: campaignLink(campaign.id),
            severity: 'normal',
            topic: `Access review: ${campaign.name}`,
            scope: `identity-review:${campaign.id}:${kind}`,
          },
        });
      } catch (error) {
        this.logger.warn(
          `Could not notify ${reviewers.join(', ')} of access review ${
            campaign.id
          } (${kind}): ${(error as Error).message}`,
        );
      }
    });
    const workers = Array.from(
      { length: Math.min(CONCURRENCY, sends.length) },
      async () => {
        for (let send = sends.shift(); send; send = sends.shift()) {
          await send();
        }
      },
    );
    await Promise.all(workers);
  }
}
