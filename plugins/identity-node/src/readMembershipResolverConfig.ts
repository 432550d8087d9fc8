import { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTrustedOrigins, TrustedOrigins } from './TrustedOrigins';

/**
 * The membership settings read from `identityPolicy`.
 *
 * @public
 */
export interface MembershipResolverConfig {
  maxDepth: number;
  cacheTtlMs: number;
  trustedOrigins: TrustedOrigins;
}

/** Default levels of group nesting followed above a user's direct groups. */
export const DEFAULT_MAX_DEPTH = 10;
/** Default cache window, in seconds. */
export const DEFAULT_CACHE_TTL_SECONDS = 5;

/**
 * Reads and validates `identityPolicy.membership` and
 * `identityPolicy.trustedOrigins`; throws an error naming the key on invalid
 * values, so a bad config stops the backend at startup.
 *
 * @public
 */
export function readMembershipResolverConfig(
  config: RootConfigService,
): MembershipResolverConfig {
  const maxDepthKey = 'identityPolicy.membership.maxDepth';
  const maxDepth = config.getOptionalNumber(maxDepthKey) ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 0) {
    throw new InputError(
      `Invalid config at ${maxDepthKey}: must be a non-negative integer, got ${maxDepth}`,
    );
  }
  const ttlKey = 'identityPolicy.membership.cacheTtlSeconds';
  const ttlSeconds =
    config.getOptionalNumber(ttlKey) ?? DEFAULT_CACHE_TTL_SECONDS;
  if (!(ttlSeconds > 0) || ttlSeconds > 3600) {
    throw new InputError(
      `Invalid config at ${ttlKey}: must be a number of seconds above 0 and at most 3600, got ${ttlSeconds}`,
    );
  }
  const trustedOrigins = createTrustedOrigins(
    config.getOptionalStringArray('identityPolicy.trustedOrigins'),
  );
  return { maxDepth, cacheTtlMs: ttlSeconds * 1000, trustedOrigins };
}
