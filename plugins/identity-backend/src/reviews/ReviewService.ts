import {
  CreateReviewCampaignRequest,
  ReviewCampaign,
  ReviewDecisionRequest,
  ReviewDecisionResult,
  ReviewItem,
  ReviewItemPage,
} from '@identity-governance/plugin-identity-common';
import { PageRequest } from '../store/IdentityStore';

/**
 * Who asks, as the router established it: `manager` when the caller holds
 * `identity.review.manage`.
 */
export interface ReviewCaller {
  userRef: string;
  manager: boolean;
}

/**
 * Access review campaigns. The router checks `identity.review.manage` for
 * the operations only managers may run; everything a reviewer may do is
 * limited here to the caller's own items.
 */
export interface ReviewService {
  createCampaign(
    caller: ReviewCaller,
    request: CreateReviewCampaignRequest,
  ): Promise<ReviewCampaign>;
  listCampaigns(caller: ReviewCaller): Promise<ReviewCampaign[]>;
  /** With progress; `NotFoundError` for callers who may not see it. */
  getCampaign(caller: ReviewCaller, id: string): Promise<ReviewCampaign>;
  listItems(
    caller: ReviewCaller,
    id: string,
    query: PageRequest & { q?: string; mine: boolean },
  ): Promise<ReviewItemPage>;
  decide(
    caller: ReviewCaller,
    id: string,
    request: ReviewDecisionRequest,
  ): Promise<ReviewDecisionResult>;
  reassign(
    caller: ReviewCaller,
    id: string,
    itemId: string,
    reviewer: string,
  ): Promise<ReviewItem>;
  close(caller: ReviewCaller, id: string): Promise<ReviewCampaign>;
  /** Every item in snapshot order; `NotFoundError` for an unknown id. */
  exportItems(id: string): Promise<AsyncIterable<ReviewItem[]>>;
  /**
   * The campaign with every reviewer's progress, and every item in
   * snapshot order, for the report; `NotFoundError` for an unknown id.
   */
  exportCampaign(
    id: string,
  ): Promise<{ campaign: ReviewCampaign; items: AsyncIterable<ReviewItem[]> }>;
}
