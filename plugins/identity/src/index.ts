/**
 * The Identity page: users, groups, memberships (direct and nested) and sync
 * provenance, with offboarding and CSV access reviews.
 *
 * @packageDocumentation
 */
export { identityPlugin, IdentityPage } from './plugin';
export { rootRouteRef as identityRouteRef } from './routes';
export { identityApiRef, IdentityClient } from './api';
export type {
  IdentityApi,
  IdentityEntityName,
  IdentityGroupMembersQuery,
  IdentityUsersQuery,
  IdentityWhoCanQuery,
  ReviewItemsQuery,
} from './api';
