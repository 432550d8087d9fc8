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
  MembershipReadOptions,
  MembershipResolver,
  UserMemberships,
} from './MembershipResolver';
export type { GroupVersion, MembershipSource } from './MembershipSource';
export {
  membershipResolverServiceRef,
  membershipResolverServiceFactory,
} from './membershipResolverServiceRef';
export {
  DefaultMembershipResolver,
  type DefaultMembershipResolverOptions,
} from './DefaultMembershipResolver';
export { CatalogMembershipSource } from './CatalogMembershipSource';
export { createTrustedOrigins, type TrustedOrigins } from './TrustedOrigins';
export {
  assembleGroupGraph,
  buildGroupGraph,
  parseGroupEntity,
  type GroupGraph,
  type ParsedGroup,
} from './GroupGraph';
export { GroupGraphLoader } from './GroupGraphLoader';
export { resolveUserMemberships } from './resolveUserMemberships';
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
