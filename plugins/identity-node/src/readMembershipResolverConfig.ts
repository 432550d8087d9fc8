import { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  createDirectories,
  createTrustedOrigins,
  TrustedOrigins,
} from './TrustedOrigins';

/**
 * The membership settings read from `identityPolicy`.
 *
 * @public
 */
export interface MembershipResolverConfig {
  /**
   * Levels of group nesting followed above a user's direct groups
   * (`identityPolicy.membership.maxDepth`).
   */
  maxDepth: number;
  /**
   * How long answers are cached, in milliseconds
   * (`identityPolicy.membership.cacheTtlSeconds`).
   */
  cacheTtlMs: number;
  /** How long a user entity may be served for decisions that deny. */
  staleTtlMs: number;
  /**
   * The directories whose entities' memberships count
   * (`identityPolicy.directories` or `identityPolicy.trustedOrigins`).
   */
  trustedOrigins: TrustedOrigins;
  /**
   * The settings that decide what counts (depth, directories, the working
   * directory relative file origins resolve against), as one string: an
   * index of resolved memberships is stale when it changes.
   */
  fingerprint: string;
}

/** Default levels of group nesting followed above a user's direct groups. */
export const DEFAULT_MAX_DEPTH = 10;
/** Default cache window, in seconds. */
export const DEFAULT_CACHE_TTL_SECONDS = 5;
/** Default bound on how long a grant through a user's own entity waits. */
export const DEFAULT_GRANT_LATENCY_SECONDS = 60;

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
  const grantKey = 'identityPolicy.membership.grantLatencySeconds';
  const grantSeconds =
    config.getOptionalNumber(grantKey) ??
    Math.max(DEFAULT_GRANT_LATENCY_SECONDS, ttlSeconds);
  if (!(grantSeconds >= ttlSeconds) || grantSeconds > 3600) {
    throw new InputError(
      `Invalid config at ${grantKey}: must be a number of seconds at least identityPolicy.membership.cacheTtlSeconds (${ttlSeconds}) and at most 3600, got ${grantSeconds}`,
    );
  }
  const trustedOrigins = readTrustedOrigins(config);
  const fingerprint = JSON.stringify({
    maxDepth,
    directories: config.getOptional('identityPolicy.directories') ?? null,
    trustedOrigins: config.getOptional('identityPolicy.trustedOrigins') ?? null,
    cwd: process.cwd(),
  });
  return {
    maxDepth,
    fingerprint,
    cacheTtlMs: ttlSeconds * 1000,
    staleTtlMs: grantSeconds * 1000,
    trustedOrigins,
  };
}

/**
 * `identityPolicy.directories`, or the older `identityPolicy.trustedOrigins`
 * (each entry its own directory); setting both is an error, since it would
 * be unclear which one decides.
 */
function readTrustedOrigins(config: RootConfigService): TrustedOrigins {
  const dirKey = 'identityPolicy.directories';
  const legacyKey = 'identityPolicy.trustedOrigins';
  const legacy = config.getOptionalStringArray(legacyKey);
  const directories = config.getOptionalConfigArray(dirKey);
  if (directories && legacy) {
    throw new InputError(
      `Invalid config at ${legacyKey}: set either ${dirKey} or ${legacyKey}, not both (move the origins into a directory)`,
    );
  }
  if (!directories) {
    return createTrustedOrigins(legacy, legacyKey);
  }
  return createDirectories(
    directories.map(d => ({
      name: d.getString('name'),
      origins: d.getStringArray('origins'),
      grantsInto: d.getOptionalStringArray('grantsInto'),
    })),
    dirKey,
  );
}
