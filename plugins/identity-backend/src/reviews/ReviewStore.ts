import {
  ReviewCampaign,
  ReviewDecision,
  ReviewItem,
  ReviewReviewerProgress,
  ReviewRevocationStep,
  ReviewScope,
} from '@identity-governance/plugin-identity-common';
import { PageRequest } from '../store/IdentityStore';

/** An item as the snapshot writes it: without ids, campaign or decision. */
export type NewReviewItem = Omit<
  ReviewItem,
  | 'id'
  | 'campaignId'
  | 'decision'
  | 'comment'
  | 'decidedAt'
  | 'decidedByRef'
  | 'revocation'
>;

export interface NewReviewCampaign {
  name: string;
  scope: ReviewScope;
  createdBy: string;
  createdAt: string;
  dueAt: string;
}

/** Which items of a campaign to read. */
export interface ReviewItemQuery extends PageRequest {
  /** Only this reviewer's items. */
  reviewer?: string;
  /** Case-insensitive substring of the user ref, name, email or access. */
  q?: string;
}

export interface ReviewDecisionWrite {
  itemId: string;
  decision: ReviewDecision;
  comment?: string;
  /**
   * For a revoke of an item not already decided revoke: what to change at
   * each source. The revocation then starts over as pending; a revoke of an
   * item already revoked keeps its revocation (and when it took effect).
   */
  steps?: ReviewRevocationStep[];
}

/** Campaigns and their frozen items, in the plugin's own tables. */
export interface ReviewStore {
  /** Writes the campaign and every item in one transaction. */
  createCampaign(
    campaign: NewReviewCampaign,
    items: NewReviewItem[],
  ): Promise<ReviewCampaign>;
  /** Every campaign, or those where `reviewer` has items; newest first. */
  listCampaigns(reviewer?: string): Promise<ReviewCampaign[]>;
  getCampaign(id: string): Promise<ReviewCampaign | undefined>;
  hasItemsFor(campaignId: string, reviewer: string): Promise<boolean>;
  progress(campaignId: string): Promise<ReviewReviewerProgress[]>;
  queryItems(
    campaignId: string,
    query: ReviewItemQuery,
  ): Promise<{ items: ReviewItem[]; totalItems: number }>;
  /** Every item in snapshot order, in batches, for the export. */
  streamItems(
    campaignId: string,
    batchSize: number,
  ): AsyncIterable<ReviewItem[]>;
  getItems(campaignId: string, itemIds: string[]): Promise<ReviewItem[]>;
  /**
   * Writes the decisions in one transaction (a keep clears the item's
   * revocation), only while the campaign is
   * open and only on items assigned to `reviewer`; answers the items, or
   * an error naming what refused them (nothing written then).
   */
  decide(
    campaignId: string,
    reviewer: string,
    decisions: ReviewDecisionWrite[],
    at: string,
  ): Promise<ReviewItem[]>;
  reassign(
    campaignId: string,
    itemId: string,
    reviewer: string,
  ): Promise<ReviewItem>;
  close(campaignId: string, by: string, at: string): Promise<ReviewCampaign>;
}
