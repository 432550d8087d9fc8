import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
  catalogIngestionManagePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  identityReadPermission,
  identityReviewManagePermission,
  identityUserOffboardPermission,
} from '@identity-governance/plugin-identity-common';

/**
 * The permissions guarded when `identityPolicy.guardedPermissions` is not
 * set: every catalog operation that destroys, creates or re-ingests entities
 * (deleting a location deletes every entity it emitted), and the Identity
 * page and
 * its access review campaigns.
 */
export const defaultGuardedPermissions: readonly string[] = [
  catalogEntityDeletePermission.name,
  catalogEntityRefreshPermission.name,
  catalogEntityCreatePermission.name,
  catalogLocationCreatePermission.name,
  catalogLocationDeletePermission.name,
  catalogIngestionManagePermission.name,
  identityReadPermission.name,
  identityUserOffboardPermission.name,
  identityReviewManagePermission.name,
];
