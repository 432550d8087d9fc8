export { identityApiRef } from './IdentityApi';
export type {
  IdentityApi,
  IdentityEntityName,
  IdentityGroupMembersQuery,
  IdentityUsersQuery,
} from './IdentityApi';
export { IdentityClient } from './IdentityClient';
