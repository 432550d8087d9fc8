import { createTrustedOrigins } from '@identity-governance/plugin-identity-node';
import { IndexerEngineSettings } from '../indexer/IdentityIndexer';

/**
 * Membership engine settings for tests: `trustedOrigins` as the policy's
 * config would give them (every origin when undefined).
 */
export function engineSettings(
  trustedOrigins?: string[],
  maxDepth = 10,
): IndexerEngineSettings {
  return {
    trustedOrigins: createTrustedOrigins(trustedOrigins),
    maxDepth,
    fingerprint: JSON.stringify({ trustedOrigins, maxDepth }),
  };
}
