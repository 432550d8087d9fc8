export { identityApiRef } from './IdentityApi';
export type {
  IdentityApi,
  IdentityEntityName,
  IdentityGroupMembersQuery,
  IdentityUsersQuery,
  IdentityWhoCanQuery,
  ReviewItemsQuery,
} from './IdentityApi';
export { IdentityClient } from './IdentityClient';
