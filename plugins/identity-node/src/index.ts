/**
 * Membership resolution for the identity governance plugins: the group graph,
 * the transitive closure of a user's groups, trusted origins and a cache
 * shared by everything in the backend process.
 *
 * @packageDocumentation
 */

export type {
  GroupMembership,
  IgnoredMembership,
  MembershipEdge,
  MembershipReadOptions,
  MembershipResolver,
  UncountedMembership,
  UserMemberships,
} from './MembershipResolver';
export type { GroupVersion, MembershipSource } from './MembershipSource';
export {
  membershipResolverServiceRef,
  membershipResolverServiceFactory,
} from './membershipResolverServiceRef';
export {
  accessExplainerServiceRef,
  accessExplainerServiceFactory,
  createAccessExplainerService,
  type AccessExplainer,
  type AccessExplainerService,
  type AccessExplainRequest,
  type GrantingGroup,
  type GrantingGroups,
  type GrantingGroupsOptions,
  type ProposedAccessExplainer,
} from './accessExplainerServiceRef';
export {
  DefaultMembershipResolver,
  type DefaultMembershipResolverOptions,
} from './DefaultMembershipResolver';
export { CatalogMembershipSource } from './CatalogMembershipSource';
export {
  createDirectories,
  createTrustedOrigins,
  UNRESTRICTED_DIRECTORY,
  type DirectoryConfig,
  type TrustedOrigins,
} from './TrustedOrigins';
export {
  assembleGroupGraph,
  buildGroupGraph,
  edgeKey,
  parseGroupEntity,
  type EdgeSource,
  type GroupGraph,
  type ParsedGroup,
  type UncountedEdge,
  type UncountedReason,
} from './GroupGraph';
export { GroupGraphLoader } from './GroupGraphLoader';
export {
  parseUserEntity,
  resolveUserMemberships,
  type ParsedUser,
} from './resolveUserMemberships';
export {
  ExpiringCache,
  type CacheEntry,
  type ExpiringCacheOptions,
} from './ExpiringCache';
export {
  readMembershipResolverConfig,
  DEFAULT_CACHE_TTL_SECONDS,
  DEFAULT_MAX_DEPTH,
  type MembershipResolverConfig,
} from './readMembershipResolverConfig';
