export { identityApiRef } from './IdentityApi';
export type {
  IdentityApi,
  IdentityEntityName,
  IdentityGroupMembersQuery,
  IdentityUsersQuery,
  IdentityWhoCanQuery,
} from './IdentityApi';
export { IdentityClient } from './IdentityClient';
