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
  MembershipResolver,
  UserMemberships,
} from './MembershipResolver';
export type { MembershipSource } from './MembershipSource';
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
export { buildGroupGraph, type GroupGraph } from './GroupGraph';
export { resolveUserMemberships } from './resolveUserMemberships';
export { ExpiringCache, type ExpiringCacheOptions } from './ExpiringCache';
export {
  readMembershipResolverConfig,
  DEFAULT_CACHE_TTL_SECONDS,
  DEFAULT_MAX_DEPTH,
  type MembershipResolverConfig,
} from './readMembershipResolverConfig';
