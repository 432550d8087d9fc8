import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ReviewCampaign,
  ReviewItem,
  ReviewReviewerProgress,
} from '@identity-governance/plugin-identity-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  NewReviewCampaign,
  NewReviewItem,
  ReviewDecisionWrite,
  ReviewItemQuery,
  ReviewStore,
} from './ReviewStore';
import {
  CAMPAIGNS,
  CampaignRow,
  ITEMS,
  ItemRow,
  revocationColumns,
  toCampaign,
  toItem,
} from './reviewRows';

/** 18 columns a row: 50 rows stay under SQLite's oldest variable limit. */
const INSERT_CHUNK = 50;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, c => `\\${c}`);
}

/** The review store on the plugin's database (SQLite or PostgreSQL). */
export class DatabaseReviewStore implements ReviewStore {
  constructor(private readonly knex: Knex) {}

  async createCampaign(
    campaign: NewReviewCampaign,
    items: NewReviewItem[],
  ): Promise<ReviewCampaign> {
    const id = randomUUID();
    await this.knex.transaction(async tx => {
      await tx<CampaignRow>(CAMPAIGNS).insert({
        id,
        name: campaign.name,
        scope: JSON.stringify(campaign.scope),
        status: 'open',
        created_by: campaign.createdBy,
        created_at: campaign.createdAt,
        due_at: campaign.dueAt,
        item_count: items.length,
      });
      const rows: ItemRow[] = items.map((item, seq) => ({
        id: randomUUID(),
        campaign_id: id,
        seq,
        user_ref: item.userRef,
        display_name: item.displayName ?? null,
        email: item.email ?? null,
        access: item.access,
        group_ref: item.groupRef ?? null,
        path: item.path,
        source: item.source,
        managed_by_location: item.managedByLocation ?? null,
        group_managed_by_location: item.groupManagedByLocation ?? null,
        decided_by_rule: item.decidedBy ?? null,
        reviewer: item.reviewer,
        decision: null,
        comment: null,
        decided_at: null,
        decided_by: null,
      }));
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await tx(ITEMS).insert(rows.slice(i, i + INSERT_CHUNK));
      }
    });
    return (await this.getCampaign(id))!;
  }

  async listCampaigns(reviewer?: string): Promise<ReviewCampaign[]> {
    let query = this.knex<CampaignRow>(CAMPAIGNS).select('*');
    if (reviewer !== undefined) {
      query = query.whereIn(
        'id',
        this.knex(ITEMS).select('campaign_id').where({ reviewer }),
      );
    }
    const rows = await query.orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    const decided = await this.decidedCounts(rows.map(r => r.id));
    return rows.map(r => toCampaign(r, decided.get(r.id) ?? 0));
  }

  async getCampaign(id: string): Promise<ReviewCampaign | undefined> {
    const row = await this.knex<CampaignRow>(CAMPAIGNS).where({ id }).first();
    if (!row) {
      return undefined;
    }
    const decided = await this.decidedCounts([id]);
    return toCampaign(row, decided.get(id) ?? 0);
  }

  private async decidedCounts(ids: string[]): Promise<Map<string, number>> {
    if (!ids.length) {
      return new Map();
    }
    const rows = (await this.knex(ITEMS)
      .select('campaign_id')
      .count({ n: '*' })
      .whereIn('campaign_id', ids)
      .whereNotNull('decision')
      .groupBy('campaign_id')) as Array<{
      campaign_id: string;
      n: number | string;
    }>;
    return new Map(rows.map(r => [r.campaign_id, Number(r.n)]));
  }

  async hasItemsFor(campaignId: string, reviewer: string): Promise<boolean> {
    const row = await this.knex(ITEMS)
      .select('id')
      .where({ campaign_id: campaignId, reviewer })
      .first();
    return Boolean(row);
  }

  async progress(campaignId: string): Promise<ReviewReviewerProgress[]> {
    const rows = await this.knex(ITEMS)
      .select('reviewer', 'decision')
      .count({ n: '*' })
      .where({ campaign_id: campaignId })
      .groupBy('reviewer', 'decision');
    const byReviewer = new Map<string, ReviewReviewerProgress>();
    for (const row of rows as Array<{
      reviewer: string;
      decision: string | null;
      n: number | string;
    }>) {
      let p = byReviewer.get(row.reviewer);
      if (!p) {
        p = {
          reviewer: row.reviewer,
          total: 0,
          decided: 0,
          kept: 0,
          revoked: 0,
        };
        byReviewer.set(row.reviewer, p);
      }
      const n = Number(row.n);
      p.total += n;
      if (row.decision === 'keep') {
        p.kept += n;
        p.decided += n;
      } else if (row.decision === 'revoke') {
        p.revoked += n;
        p.decided += n;
      }
    }
    return [...byReviewer.values()].sort((a, b) =>
      a.reviewer.localeCompare(b.reviewer, 'en-US'),
    );
  }

  async queryItems(
    campaignId: string,
    query: ReviewItemQuery,
  ): Promise<{ items: ReviewItem[]; totalItems: number }> {
    const base = () => {
      let q = this.knex<ItemRow>(ITEMS).where({ campaign_id: campaignId });
      if (query.reviewer !== undefined) {
        q = q.andWhere({ reviewer: query.reviewer });
      }
      if (query.q) {
        const like = `%${escapeLike(query.q.toLocaleLowerCase('en-US'))}%`;
        q = q.andWhere(w => {
          for (const column of [
            'user_ref',
            'display_name',
            'email',
            'access',
          ]) {
            w.orWhereRaw(`lower(??) like ? escape '\\'`, [column, like]);
          }
        });
      }
      return q;
    };
    const [rows, [{ n }]] = await Promise.all([
      base().select('*').orderBy('seq').offset(query.offset).limit(query.limit),
      base().count({ n: '*' }),
    ]);
    return { items: rows.map(toItem), totalItems: Number(n) };
  }

  async *streamItems(
    campaignId: string,
    batchSize: number,
  ): AsyncIterable<ReviewItem[]> {
    let after = -1;
    for (;;) {
      const rows = await this.knex<ItemRow>(ITEMS)
        .select('*')
        .where({ campaign_id: campaignId })
        .andWhere('seq', '>', after)
        .orderBy('seq')
        .limit(batchSize);
      if (!rows.length) {
        return;
      }
      yield rows.map(toItem);
      after = rows[rows.length - 1].seq;
    }
  }

  async getItems(campaignId: string, itemIds: string[]): Promise<ReviewItem[]> {
    const rows = await this.knex<ItemRow>(ITEMS)
      .select('*')
      .where({ campaign_id: campaignId })
      .whereIn('id', itemIds)
      .orderBy('seq');
    return rows.map(toItem);
  }

  async decide(
    campaignId: string,
    reviewer: string,
    decisions: ReviewDecisionWrite[],
    at: string,
  ): Promise<ReviewItem[]> {
    const ids = [...new Set(decisions.map(d => d.itemId))];
    await this.knex.transaction(async tx => {
      await this.lockOpenCampaign(tx, campaignId);
      const owned = await tx<ItemRow>(ITEMS)
        .select('id', 'decision')
        .where({ campaign_id: campaignId, reviewer })
        .whereIn('id', ids);
      if (owned.length !== ids.length) {
        const have = new Set(owned.map(r => r.id));
        const missing = ids.filter(i => !have.has(i));
        // Not yours and not there read the same: ids of other reviewers'
        // items must not be confirmed to exist.
        throw new NotFoundError(
          `No item ${missing.join(', ')} assigned to you in this campaign`,
        );
      }
      const before = new Map(owned.map(r => [r.id, r.decision]));
      for (const d of decisions) {
        // A revoke repeated keeps the revocation already under watch.
        const keepRevocation =
          d.decision === 'revoke' && before.get(d.itemId) === 'revoke';
        await tx(ITEMS)
          .where({ id: d.itemId, campaign_id: campaignId })
          .update({
            decision: d.decision,
            comment: d.comment ?? null,
            decided_at: at,
            decided_by: reviewer,
            ...(keepRevocation
              ? {}
              : revocationColumns(
                  d.decision === 'revoke' ? d.steps ?? [] : undefined,
                )),
          });
      }
    });
    return this.getItems(campaignId, ids);
  }

  async reassign(
    campaignId: string,
    itemId: string,
    reviewer: string,
  ): Promise<ReviewItem> {
    await this.knex.transaction(async tx => {
      await this.lockOpenCampaign(tx, campaignId);
      const updated = await tx(ITEMS)
        .where({ id: itemId, campaign_id: campaignId })
        .update({ reviewer });
      if (!updated) {
        throw new NotFoundError(`No item ${itemId} in campaign ${campaignId}`);
      }
    });
    return (await this.getItems(campaignId, [itemId]))[0];
  }

  async close(
    campaignId: string,
    by: string,
    at: string,
  ): Promise<ReviewCampaign> {
    await this.knex.transaction(async tx => {
      await this.lockOpenCampaign(tx, campaignId);
      await tx(CAMPAIGNS)
        .where({ id: campaignId })
        .update({ status: 'closed', closed_at: at, closed_by: by });
    });
    return (await this.getCampaign(campaignId))!;
  }

  /**
   * Takes the campaign's row lock, so a close and a decision from two
   * replicas cannot interleave: a decision is either in before the close or
   * refused after it.
   */
  private async lockOpenCampaign(tx: Knex.Transaction, campaignId: string) {
    // forUpdate is a no-op on SQLite, where the write transaction serialises.
    const row = await tx<CampaignRow>(CAMPAIGNS)
      .select('status')
      .where({ id: campaignId })
      .forUpdate()
      .first();
    if (!row) {
      throw new NotFoundError(`No campaign ${campaignId}`);
    }
    if (row.status === 'closed') {
      throw new ConflictError(`Campaign ${campaignId} is closed`);
    }
  }
}
