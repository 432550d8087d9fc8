import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Seeing the Identity page and its API: every user, group, membership path
 * and record origin in the portal, CSV exports for access reviews included.
 *
 * @remarks
 *
 * A basic permission: it gates the whole page, not single records, because the
 * page's value is the overview (who is in which group, through which path).
 * The identity policy treats it as guarded: only its admin groups, unless a
 * rule in `identityPolicy.rules` names it.
 *
 * @public
 */
export const identityReadPermission = createPermission({
  name: 'identity.read',
  attributes: { action: 'read' },
});

/**
 * Offboarding one user from the Identity page (deactivating a SCIM record or
 * removing the catalog entity).
 *
 * @remarks
 *
 * A resource permission on the user's catalog entity, so a policy can answer
 * with catalog conditions (for example "owners of the entity may") and the
 * page can ask about one user with a resourceRef. Guarded by the identity
 * policy by default.
 *
 * @public
 */
export const identityUserOffboardPermission = createPermission({
  name: 'identity.user.offboard',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

/**
 * Running access review campaigns: starting one, reading every item and its
 * decision, reassigning reviewers, closing it and exporting its evidence.
 *
 * @remarks
 *
 * A basic permission: a campaign spans many people, so there is no single
 * resource to decide on. Reviewers need no permission to decide their own
 * items: being assigned an item is what lets them see it. Guarded by the
 * identity policy by default.
 *
 * @public
 */
export const identityReviewManagePermission = createPermission({
  name: 'identity.review.manage',
  attributes: {},
});

/**
 * Every permission the identity plugins define, for registering them with the
 * permissions registry and for policies that validate permission names.
 *
 * @public
 */
export const identityPermissions = [
  identityReadPermission,
  identityUserOffboardPermission,
  identityReviewManagePermission,
];
