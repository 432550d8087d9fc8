import { ReviewCampaign } from '@identity-governance/plugin-identity-common';

/**
 * Where the Identity page shows a campaign: `<identity page>/reviews/<id>`
 * (the page's route `/identity`, its reviews tab `reviews`).
 */
export const IDENTITY_REVIEWS_PATH = '/identity/reviews';

/** The link to a campaign on the Identity page. */
export function campaignLink(campaignId: string): string {
  return `${IDENTITY_REVIEWS_PATH}/${encodeURIComponent(campaignId)}`;
}

/**
 * Tells reviewers about their items. Implementations log their failures and
 * never throw: a reviewer not told must not undo a campaign operation.
 */
export interface ReviewNotifier {
  /** Each reviewer has this many items of the campaign to decide. */
  assigned(
    campaign: ReviewCampaign,
    itemsByReviewer: Map<string, number>,
  ): Promise<void>;
  /** Each reviewer still has this many undecided items, due soon. */
  remind(
    campaign: ReviewCampaign,
    undecidedByReviewer: Map<string, number>,
  ): Promise<void>;
}

/** Counts items per reviewer. */
export function countByReviewer(
  items: Iterable<{ reviewer: string }>,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { reviewer } of items) {
    counts.set(reviewer, (counts.get(reviewer) ?? 0) + 1);
  }
  return counts;
}
