/**
 * Membership resolution for the identity governance plugins: the group graph,
 * the transitive closure of a user's groups, trusted origins and a cache
 * shared by everything in the backend process.
 *
 * @packageDocumentation
 */

// The two services a backend gets by default: what the policy and the
// identity backend depend on.
export { membershipResolverServiceRef } from './membershipResolverServiceRef';
export type {
  GroupMembership,
  IgnoredMembership,
  MembershipEdge,
  MembershipReadOptions,
  MembershipResolver,
  UncountedMembership,
  UserMemberships,
} from './MembershipResolver';
export {
  accessExplainerServiceRef,
  type AccessExplainer,
  type AccessExplainerService,
  type AccessExplainRequest,
  type GrantingGroup,
  type GrantingGroups,
  type GrantingGroupsOptions,
  type ProposedAccessExplainer,
} from './accessExplainerServiceRef';

// The engine's steps, for an index that resolves every user at once with the
// same code and settings as the resolver (the identity backend's).
export {
  readMembershipResolverConfig,
  type MembershipResolverConfig,
} from './readMembershipResolverConfig';
export { createTrustedOrigins, type TrustedOrigins } from './TrustedOrigins';
export {
  assembleGroupGraph,
  edgeKey,
  parseGroupEntity,
  type EdgeSource,
  type GroupGraph,
  type ParsedGroup,
  type UncountedEdge,
  type UncountedReason,
} from './GroupGraph';
export {
  parseUserEntity,
  resolveUserMemberships,
  type ParsedUser,
} from './resolveUserMemberships';
