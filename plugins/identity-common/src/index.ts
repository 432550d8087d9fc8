/**
 * What the Identity page, the identity backend and the identity policy share:
 * the identity permissions and the types of the `/api/identity` REST API.
 *
 * @packageDocumentation
 */

export {
  identityPermissions,
  identityReadPermission,
  identityReviewManagePermission,
  identityUserOffboardPermission,
} from './permissions';
export type {
  ReviewCampaign,
  ReviewCampaignList,
  ReviewCampaignStatus,
  ReviewDecision,
  ReviewDecisionRequest,
  ReviewDecisionResult,
  ReviewItem,
  ReviewItemPage,
  ReviewReviewerProgress,
  ReviewRevocation,
  ReviewRevocationStatus,
  ReviewRevocationStep,
  ReviewScope,
  CreateReviewCampaignRequest,
} from './reviewApiTypes';
export {
  identitySources,
  identityStatusFlags,
  identityUserSortFields,
  type IdentityGroupDetail,
  type IdentityGroupMember,
  type IdentityGroupNode,
  type IdentityGroupTree,
  type IdentityMembership,
  type IdentityOffboardPreview,
  type IdentityOffboardResult,
  type IdentityPage,
  type IdentityProcessingError,
  type IdentityProvenance,
  type IdentityProvisioning,
  type IdentityProvisioningHistoryEntry,
  type IdentitySource,
  type IdentitySourceConflict,
  type IdentityStatusFlag,
  type IdentitySummary,
  type IdentityRefreshFailure,
  type IdentityUncountedMembership,
  type IdentityUncountedReason,
  type IdentityUser,
  type IdentityUserDetail,
  type IdentityUserSortField,
} from './apiTypes';
export type {
  AccessDecidedBy,
  AccessDecisionKind,
  AccessExplanation,
  AccessPathEdge,
  AccessResult,
  AccessUncountedMembership,
  CheckAccessRequest,
  ConditionalGrantInfo,
  DryRunPermissionChange,
  DryRunRequest,
  DryRunResponse,
  DryRunUserChange,
  GuardedPermissionInfo,
  GuardedPermissionsResponse,
  UserAccessResponse,
  WhoCanItem,
  WhoCanResponse,
} from './accessApiTypes';
