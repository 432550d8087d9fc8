import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  CreateReviewCampaignRequest,
  identityReviewManagePermission,
  ReviewCampaign,
  ReviewDecisionRequest,
  ReviewDecisionResult,
  ReviewItem,
  ReviewItemPage,
} from '@identity-governance/plugin-identity-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { AccessService } from '../service/AccessService';
import {
  IdentityGroupReader,
  IdentityUserReader,
  PageRequest,
} from '../store/IdentityStore';
import { assignReviewers } from './assignReviewers';
import { collectScopeItems } from './collectScopeItems';
import { GroupReviewersReader } from './GroupReviewersReader';
import { ManagerReader } from './ManagerReader';
import { countByReviewer, ReviewNotifier } from './ReviewNotifier';
import { RevocationPlanner } from './RevocationPlanner';
import { ReviewCaller, ReviewService } from './ReviewService';
import { ReviewStore } from './ReviewStore';

export interface DefaultReviewServiceOptions {
  store: ReviewStore;
  access: AccessService;
  index: IdentityUserReader & IdentityGroupReader;
  groupReviewers: GroupReviewersReader;
  /** Each person's manager: the first choice of reviewer. */
  managers?: ManagerReader;
  /** Tells reviewers of their items; none, none are told. */
  notifier?: ReviewNotifier;
  logger: LoggerService;
  /** `identity.reviews.maxItems`. */
  maxItems: number;
  /** What a revoke decision asks to change at each source. */
  revocations: RevocationPlanner;
  now?: () => Date;
}

const EXPORT_BATCH = 1000;

export class DefaultReviewService implements ReviewService {
  private readonly now: () => Date;

  constructor(private readonly options: DefaultReviewServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async createCampaign(
    caller: ReviewCaller,
    request: CreateReviewCampaignRequest,
  ): Promise<ReviewCampaign> {
    const { store, access, index, maxItems } = this.options;
    const now = this.now();
    const dueAt = new Date(request.dueAt);
    if (Number.isNaN(dueAt.getTime()) || dueAt <= now) {
      throw new InputError('dueAt must be a date in the future');
    }
    const scoped = await collectScopeItems(request.scope, {
      access,
      index,
      maxItems,
    });
    if (!scoped.length) {
      throw new InputError('The scope covers nobody');
    }
    const groupRefs = [...new Set(scoped.flatMap(i => i.groupRef ?? []))];
    const [groupReviewers, admins, managers] = await Promise.all([
      this.options.groupReviewers.read(groupRefs),
      this.admins(),
      this.managers([...new Set(scoped.map(i => i.userRef))]),
    ]);
    const items = assignReviewers(scoped, {
      managers,
      groupReviewers,
      defaultReviewers: request.defaultReviewers ?? [],
      admins,
      creator: caller.userRef,
    });
    const campaign = await store.createCampaign(
      {
        name: request.name,
        scope: request.scope,
        createdBy: caller.userRef,
        createdAt: now.toISOString(),
        dueAt: dueAt.toISOString(),
      },
      items,
    );
    this.notify(n => n.assigned(campaign, countByReviewer(items)));
    return campaign;
  }

  /**
   * Managers where the reader finds them; a reader that fails leaves the
   * other rules, as a campaign without managers is still a campaign.
   */
  private async managers(userRefs: string[]): Promise<Map<string, string>> {
    if (!this.options.managers) {
      return new Map();
    }
    try {
      return await this.options.managers.read(userRefs);
    } catch (error) {
      this.options.logger.warn(
        `Could not read managers; assigning by the other rules: ${
          (error as Error).message
        }`,
      );
      return new Map();
    }
  }

  /**
   * Notifies in the background: the operation has committed, and a
   * campaign's reviewers are many sends away.
   */
  private notify(send: (notifier: ReviewNotifier) => Promise<void>) {
    const { notifier, logger } = this.options;
    if (notifier) {
      send(notifier).catch(error =>
        logger.warn(`Could not notify reviewers: ${(error as Error).message}`),
      );
    }
  }

  /** Who-can of the manage permission: the people who run campaigns. */
  private async admins(): Promise<string[]> {
    try {
      const refs = new Set<string>();
      const rows = await this.options.access.whoCanExport(
        identityReviewManagePermission.name,
      );
      for await (const batch of rows) {
        batch.forEach(r => refs.add(r.userRef));
      }
      return [...refs].sort();
    } catch (error) {
      // A policy that does not know the permission leaves the creator.
      this.options.logger.warn(
        `Could not list who may manage reviews: ${(error as Error).message}`,
      );
      return [];
    }
  }

  listCampaigns(caller: ReviewCaller): Promise<ReviewCampaign[]> {
    return this.options.store.listCampaigns(
      caller.manager ? undefined : caller.userRef,
    );
  }

  /**
   * The campaign, if the caller may see it: managers see all, reviewers
   * those with items of theirs. Everyone else gets the same 404 as for an
   * unknown id, so that existence does not leak.
   */
  private async visibleCampaign(
    caller: ReviewCaller,
    id: string,
  ): Promise<ReviewCampaign> {
    const { store } = this.options;
    const campaign = await store.getCampaign(id);
    if (
      !campaign ||
      (!caller.manager && !(await store.hasItemsFor(id, caller.userRef)))
    ) {
      throw new NotFoundError(`No campaign ${id}`);
    }
    return campaign;
  }

  async getCampaign(caller: ReviewCaller, id: string): Promise<ReviewCampaign> {
    const campaign = await this.visibleCampaign(caller, id);
    const progress = await this.options.store.progress(id);
    return {
      ...campaign,
      progress: caller.manager
        ? progress
        : progress.filter(p => p.reviewer === caller.userRef),
    };
  }

  async listItems(
    caller: ReviewCaller,
    id: string,
    query: PageRequest & { q?: string; mine: boolean },
  ): Promise<ReviewItemPage> {
    await this.visibleCampaign(caller, id);
    // Non-managers see their own items whatever `mine` says.
    const reviewer = query.mine || !caller.manager ? caller.userRef : undefined;
    const { items, totalItems } = await this.options.store.queryItems(id, {
      reviewer,
      q: query.q,
      offset: query.offset,
      limit: query.limit,
    });
    return { items, totalItems, offset: query.offset, limit: query.limit };
  }

  async decide(
    caller: ReviewCaller,
    id: string,
    request: ReviewDecisionRequest,
  ): Promise<ReviewDecisionResult> {
    await this.visibleCampaign(caller, id);
    const ids = request.decisions.map(d => d.itemId);
    if (new Set(ids).size !== ids.length) {
      throw new InputError('An item is decided more than once in the request');
    }
    // Steps are planned before anything is written, from the catalog as it
    // is now; an item already revoked keeps the revocation under watch.
    const { store, revocations } = this.options;
    const revoking = request.decisions
      .filter(d => d.decision === 'revoke')
      .map(d => d.itemId);
    const toPlan = revoking.length
      ? (await store.getItems(id, revoking)).filter(
          i => i.decision !== 'revoke',
        )
      : [];
    const steps = await revocations.plan(toPlan);
    const items = await store.decide(
      id,
      caller.userRef,
      request.decisions.map(d => ({ ...d, steps: steps.get(d.itemId) })),
      this.now().toISOString(),
    );
    return { items };
  }

  async reassign(
    caller: ReviewCaller,
    id: string,
    itemId: string,
    reviewer: string,
  ): Promise<ReviewItem> {
    if (!caller.manager) {
      throw new NotAllowedError('Only review managers may reassign items');
    }
    const item = await this.options.store.reassign(id, itemId, reviewer);
    const campaign = await this.options.store.getCampaign(id);
    if (campaign && !item.decision) {
      this.notify(async n => {
        const mine = (await this.options.store.progress(id)).find(
          p => p.reviewer === item.reviewer,
        );
        const undecided = mine ? mine.total - mine.decided : 1;
        await n.assigned(campaign, new Map([[item.reviewer, undecided]]));
      });
    }
    return item;
  }

  async close(caller: ReviewCaller, id: string): Promise<ReviewCampaign> {
    if (!caller.manager) {
      throw new NotAllowedError('Only review managers may close campaigns');
    }
    return this.options.store.close(
      id,
      caller.userRef,
      this.now().toISOString(),
    );
  }

  async exportItems(id: string): Promise<AsyncIterable<ReviewItem[]>> {
    return (await this.exportCampaign(id)).items;
  }

  async exportCampaign(
    id: string,
  ): Promise<{ campaign: ReviewCampaign; items: AsyncIterable<ReviewItem[]> }> {
    const { store } = this.options;
    const campaign = await store.getCampaign(id);
    if (!campaign) {
      throw new NotFoundError(`No campaign ${id}`);
    }
    return {
      campaign: { ...campaign, progress: await store.progress(id) },
      items: store.streamItems(id, EXPORT_BATCH),
    };
  }
}
