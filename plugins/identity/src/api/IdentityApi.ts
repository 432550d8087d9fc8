import { createApiRef } from '@backstage/core-plugin-api';
import {
  AccessExplanation,
  CheckAccessRequest,
  CreateReviewCampaignRequest,
  DryRunRequest,
  DryRunResponse,
  GuardedPermissionInfo,
  IdentityGroupDetail,
  IdentityGroupTree,
  IdentityOffboardPreview,
  IdentityOffboardResult,
  IdentityPage,
  IdentitySource,
  IdentityStatusFlag,
  IdentitySummary,
  IdentityUser,
  IdentityUserDetail,
  IdentityUserSortField,
  ReviewCampaign,
  ReviewCampaignList,
  ReviewDecisionRequest,
  ReviewDecisionResult,
  ReviewItem,
  ReviewItemPage,
  UserAccessResponse,
  WhoCanResponse,
} from '@identity-governance/plugin-identity-common';

/**
 * Filters, search, sort and paging of the users table; the same filters drive
 * the CSV export.
 *
 * @public
 */
export interface IdentityUsersQuery {
  /** Free-text search over name, display name and email. */
  q?: string;
  /** Entity ref of a group: its members, direct or inherited. */
  group?: string;
  /** Users whose record comes from this source. */
  source?: IdentitySource;
  /** Users with any of these flags. */
  status?: IdentityStatusFlag[];
  /** The column to sort by; the backend's default is `name`. */
  sort?: IdentityUserSortField;
  /** Ascending unless `desc`. */
  order?: 'asc' | 'desc';
  /** The index of the first user to return. */
  offset?: number;
  /** How many users to return; the backend caps it. */
  limit?: number;
}

/**
 * Paging of a group's members.
 *
 * @public
 */
export interface IdentityGroupMembersQuery {
  /** The index of the first member to return. */
  offset?: number;
  /** How many members to return; the backend caps it. */
  limit?: number;
}

/**
 * A user or group by its entity name.
 *
 * @public
 */
export interface IdentityEntityName {
  /** The entity's `metadata.namespace`, e.g. `default`. */
  namespace: string;
  /** The entity's `metadata.name`. */
  name: string;
}

/**
 * Search and paging of the users allowed one permission.
 *
 * @public
 */
export interface IdentityWhoCanQuery {
  /** Free-text search over name, display name and email. */
  q?: string;
  /** The index of the first user to return. */
  offset?: number;
  /** How many users to return; the backend caps it. */
  limit?: number;
}

/**
 * Search and paging of a review campaign's items.
 *
 * @public
 */
export interface ReviewItemsQuery {
  /** Free-text search over the person, the access and the path. */
  q?: string;
  /**
   * Only the caller's own items. Reviewers get only theirs anyway; this is
   * for managers who review too.
   */
  mine?: boolean;
  /** The index of the first item to return. */
  offset?: number;
  /** How many items to return; the backend caps it. */
  limit?: number;
}

/**
 * Client of the identity backend (`/api/identity`).
 *
 * @public
 */
export interface IdentityApi {
  /** One page of the users table (`identity.read`). */
  getUsers(query: IdentityUsersQuery): Promise<IdentityPage<IdentityUser>>;
  /**
   * One user's memberships, uncounted memberships, source conflicts and
   * provenance (`identity.read`).
   */
  getUser(user: IdentityEntityName): Promise<IdentityUserDetail>;
  /** The group hierarchy with member counts (`identity.read`). */
  getGroups(): Promise<IdentityGroupTree>;
  /** One group with a page of its members, direct and nested. */
  getGroup(
    group: IdentityEntityName,
    query?: IdentityGroupMembersQuery,
  ): Promise<IdentityGroupDetail>;
  /** Counts of users by source and by status flag. */
  getSummary(): Promise<IdentitySummary>;
  /**
   * The CSV access review for the filters of `query`; its sort and paging
   * are ignored (the backend exports every matching user in name order).
   */
  exportCsv(query: IdentityUsersQuery): Promise<Blob>;
  /** What offboarding the user would do, and whether the record returns. */
  previewOffboard(user: IdentityEntityName): Promise<IdentityOffboardPreview>;
  /**
   * Offboards the user: deactivates a SCIM record, or deletes the catalog
   * entity (`identity.user.offboard` and the catalog's own delete
   * permission).
   */
  offboard(user: IdentityEntityName): Promise<IdentityOffboardResult>;
  /**
   * Asks the catalog to refresh the user's entity and the identity index
   * to follow; resolves once the request is accepted.
   */
  refresh(user: IdentityEntityName): Promise<void>;
  /** Every guarded permission explained for the signed-in user. */
  getMyAccess(): Promise<UserAccessResponse>;
  /** Every guarded permission explained for one user (`identity.read`). */
  getUserAccess(user: IdentityEntityName): Promise<UserAccessResponse>;
  /** One decision of the identity policy, explained. */
  checkAccess(request: CheckAccessRequest): Promise<AccessExplanation>;
  /** The permissions the identity policy guards, and what grants each. */
  getGuardedPermissions(): Promise<GuardedPermissionInfo[]>;
  /** The users allowed `permission`, each with the path that grants it. */
  getWhoCan(
    permission: string,
    query?: IdentityWhoCanQuery,
  ): Promise<WhoCanResponse>;
  /**
   * Everyone allowed `permission` as CSV, for access reviews: the whole
   * list, whatever the page shows of it (the export takes no search).
   */
  exportWhoCanCsv(permission: string): Promise<Blob>;
  /**
   * What a proposed `identityPolicy` block would change against the live
   * organisation. An invalid proposal rejects with a `ResponseError` whose
   * cause carries the policy's own validation message.
   */
  dryRun(request: DryRunRequest): Promise<DryRunResponse>;
  /**
   * Starts an access review campaign (`identity.review.manage`). A scope
   * that covers nobody, an unknown group or permission, or a due date in
   * the past rejects with a 400 `ResponseError` whose cause says which.
   */
  createReviewCampaign(
    request: CreateReviewCampaignRequest,
  ): Promise<ReviewCampaign>;
  /**
   * The campaigns the caller may see: every one for review managers, those
   * with items of theirs for reviewers; newest first.
   */
  getReviewCampaigns(): Promise<ReviewCampaignList>;
  /** One campaign with each reviewer's progress (a reviewer's own only). */
  getReviewCampaign(id: string): Promise<ReviewCampaign>;
  /** A page of a campaign's items (a reviewer's own only). */
  getReviewItems(id: string, query?: ReviewItemsQuery): Promise<ReviewItemPage>;
  /**
   * Decides items of the caller's: all of them or, on any error, none.
   */
  decideReviewItems(
    id: string,
    request: ReviewDecisionRequest,
  ): Promise<ReviewDecisionResult>;
  /** Gives an item to another reviewer (`identity.review.manage`). */
  reassignReviewItem(
    id: string,
    itemId: string,
    reviewer: string,
  ): Promise<ReviewItem>;
  /** Closes a campaign: read-only from then on (`identity.review.manage`). */
  closeReviewCampaign(id: string): Promise<ReviewCampaign>;
  /** Every item of a campaign with its decision, as CSV evidence. */
  exportReviewCampaignCsv(id: string): Promise<Blob>;
  /**
   * The campaign's printable HTML report (`identity.review.manage`), for
   * opening in a new window: a plain link would lack the Backstage token.
   */
  getReviewCampaignReport(id: string): Promise<Blob>;
}

/**
 * The {@link IdentityApi}.
 *
 * @public
 */
export const identityApiRef = createApiRef<IdentityApi>({
  id: 'plugin.identity.api',
});
