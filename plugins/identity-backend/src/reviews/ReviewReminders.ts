import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { ReviewNotifier } from './ReviewNotifier';
import { ReviewStore } from './ReviewStore';

const REMINDERS = 'identity_review_reminders';

/** Which campaigns' reviewers were reminded. */
export interface ReminderLedger {
  /**
   * Records the reminder of a campaign; false if it was recorded already
   * (by this instance, another replica, or before a restart).
   */
  claim(campaignId: string, at: string): Promise<boolean>;
}

export class DatabaseReminderLedger implements ReminderLedger {
  constructor(private readonly knex: Knex) {}

  async claim(campaignId: string, at: string): Promise<boolean> {
    // The primary key decides between replicas running at once.
    const rows = await this.knex(REMINDERS)
      .insert({ campaign_id: campaignId, sent_at: at })
      .onConflict('campaign_id')
      .ignore()
      .returning('campaign_id');
    return rows.length > 0;
  }
}

export interface ReviewRemindersOptions {
  store: Pick<ReviewStore, 'listCampaigns' | 'progress'>;
  ledger: ReminderLedger;
  notifier: ReviewNotifier;
  /** `identity.reviews.reminderBefore`, in milliseconds. */
  reminderBeforeMs: number;
  logger: LoggerService;
  now?: () => Date;
}

/**
 * Reminds the reviewers with undecided items of each open campaign whose due
 * date is less than `reminderBefore` away, once per campaign. The reminder
 * is recorded before it is sent: a send that fails is logged and not tried
 * again, rather than risking two reminders.
 */
export class ReviewReminders {
  private readonly now: () => Date;

  constructor(private readonly options: ReviewRemindersOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** One pass; answers the ids of the campaigns it reminded. */
  async run(): Promise<string[]> {
    const { store, ledger, notifier, reminderBeforeMs } = this.options;
    const now = this.now();
    const reminded: string[] = [];
    for (const campaign of await store.listCampaigns()) {
      const due = Date.parse(campaign.dueAt);
      if (
        campaign.status !== 'open' ||
        due <= now.getTime() ||
        due - reminderBeforeMs > now.getTime()
      ) {
        continue;
      }
      if (!(await ledger.claim(campaign.id, now.toISOString()))) {
        continue;
      }
      const undecided = new Map(
        (await store.progress(campaign.id))
          .filter(p => p.total > p.decided)
          .map(p => [p.reviewer, p.total - p.decided]),
      );
      await notifier.remind(campaign, undecided);
      this.options.logger.info(
        `Reminded ${undecided.size} reviewers of access review ${campaign.id}`,
      );
      reminded.push(campaign.id);
    }
    return reminded;
  }
}
