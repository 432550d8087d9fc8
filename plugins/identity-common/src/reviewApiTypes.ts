/**
 * Who an access review campaign covers.
 *
 * @remarks
 *
 * `permission`: the users the policy allows one guarded permission;
 * `groups`: every member, direct or nested, of these groups; `privileged`:
 * every user allowed any guarded permission.
 *
 * @public
 */
export type ReviewScope =
  | { type: 'permission'; permission: string }
  | { type: 'groups'; groups: string[] }
  | { type: 'privileged' };

/**
 * An open campaign takes decisions; a closed one is read-only evidence.
 *
 * @public
 */
export type ReviewCampaignStatus = 'open' | 'closed';

/**
 * A reviewer's answer for one item.
 *
 * @public
 */
export type ReviewDecision = 'keep' | 'revoke';

/**
 * Body of `POST /reviews/campaigns`.
 *
 * @public
 */
export interface CreateReviewCampaignRequest {
  /** What the campaign is called. */
  name: string;
  /** Who it covers, frozen when it starts. */
  scope: ReviewScope;
  /** ISO 8601, in the future. */
  dueAt: string;
  /** User entity refs, for items whose group names no reviewers. */
  defaultReviewers?: string[];
}

/**
 * How far one reviewer is.
 *
 * @public
 */
export interface ReviewReviewerProgress {
  /** The reviewer's user entity ref. */
  reviewer: string;
  /** Items assigned to them. */
  total: number;
  /** Of those, decided. */
  decided: number;
  /** Decided keep. */
  kept: number;
  /** Decided revoke. */
  revoked: number;
}

/**
 * A campaign.
 *
 * @public
 */
export interface ReviewCampaign {
  /** A UUID. */
  id: string;
  /** What the campaign is called. */
  name: string;
  /** The scope it was started with. */
  scope: ReviewScope;
  /** Open or closed. */
  status: ReviewCampaignStatus;
  /** The user entity ref of the admin who started it. */
  createdBy: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  dueAt: string;
  /** ISO 8601, once closed. */
  closedAt?: string;
  /** Who closed it. */
  closedBy?: string;
  /** Items frozen when it started. */
  itemCount: number;
  /** Items with a decision. */
  decidedCount: number;
  /**
   * Per reviewer, in the single-campaign read only; a reviewer sees their
   * own line only.
   */
  progress?: ReviewReviewerProgress[];
}

/**
 * Answer of `GET /reviews/campaigns`.
 *
 * @public
 */
export interface ReviewCampaignList {
  /** Newest first. */
  items: ReviewCampaign[];
}

/**
 * One person's access, as frozen when the campaign started, and its
 * decision.
 *
 * @public
 */
export interface ReviewItem {
  /** A UUID. */
  id: string;
  /** The campaign's id. */
  campaignId: string;
  /** The person under review. */
  userRef: string;
  /** Their display name, when the index had one. */
  displayName?: string;
  /** Their email, when the index had one. */
  email?: string;
  /** A permission name, or the group ref for group scopes. */
  access: string;
  /** The group that grants it, when a group does. */
  groupRef?: string;
  /** `user -> group -> ... -> granting group`. */
  path: string;
  /** Where the user came from (`scim`, `file`, ...). */
  source: string;
  /** The user's `backstage.io/managed-by-location`, when indexed. */
  managedByLocation?: string;
  /** The granting group's `backstage.io/managed-by-location`. */
  groupManagedByLocation?: string;
  /** Why access is allowed, as the policy tells (`admin-group`, a rule). */
  decidedBy?: string;
  /** Who is to decide. */
  reviewer: string;
  /** The decision, once made. */
  decision?: ReviewDecision;
  /** The reviewer's comment. */
  comment?: string;
  /** ISO 8601. */
  decidedAt?: string;
  /** Who decided. */
  decidedByRef?: string;
  /**
   * For a revoke decision: what to change at each source, and whether the
   * catalog shows the access gone.
   */
  revocation?: ReviewRevocation;
}

/**
 * Where a revoked membership has to be removed.
 *
 * @remarks
 *
 * `scim`: the IdP that provisions the group (`target` is the IdP, `change`
 * the exact group change to make there); `file` and `url`: the entity file
 * declaring the membership (`target`, with `line` where known); `other`:
 * a provider or source Backstage cannot change, with what to do.
 *
 * @public
 */
export interface ReviewRevocationStep {
  /** What kind of source declares the membership. */
  kind: 'scim' | 'file' | 'url' | 'other';
  /**
   * The source as the index names it (`scim:entra`, `file`, `url`,
   * `msgraph`, ...), or `catalog` for a link no entity declares any more.
   */
  source: string;
  /** The IdP, file path or URL to change. */
  target?: string;
  /** The 1-based line of the declaration in `target`, when known. */
  line?: number;
  /** The change to make, in words an operator can follow. */
  change: string;
}

/**
 * Whether a revocation took effect, as seen in the catalog rather than
 * trusted from a click: `pending` while the membership still grants the
 * reviewed access, `effective` once the catalog no longer shows it.
 *
 * @public
 */
export type ReviewRevocationStatus = 'pending' | 'effective';

/**
 * A revoke decision's follow-up.
 *
 * @public
 */
export interface ReviewRevocation {
  /** Seen in the catalog, not clicked. */
  status: ReviewRevocationStatus;
  /** ISO 8601, when the watch first saw the access gone. */
  effectiveAt?: string;
  /** ISO 8601, when the watch last compared the item with the catalog. */
  checkedAt?: string;
  /**
   * One step per source that declares a link of the path, computed when
   * decided, the person's own link first; steps for links between groups
   * say that they remove every member.
   */
  steps: ReviewRevocationStep[];
}

/**
 * A page of items.
 *
 * @public
 */
export interface ReviewItemPage {
  /** In snapshot order. */
  items: ReviewItem[];
  /** Items matching, over every page. */
  totalItems: number;
  /** Items skipped. */
  offset: number;
  /** Page size. */
  limit: number;
}

/**
 * Body of `POST /reviews/campaigns/:id/decisions`: all or nothing.
 *
 * @public
 */
export interface ReviewDecisionRequest {
  /** At most a page of items, every one assigned to the caller. */
  decisions: Array<{
    itemId: string;
    decision: ReviewDecision;
    comment?: string;
  }>;
}

/**
 * Answer of the decisions call.
 *
 * @public
 */
export interface ReviewDecisionResult {
  /** The decided items, as stored. */
  items: ReviewItem[];
}
