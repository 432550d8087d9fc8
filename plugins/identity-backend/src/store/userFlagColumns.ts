import { IdentityStatusFlag } from '@identity-governance/plugin-identity-common';

/** The `identity_users` column holding each status flag (0 or 1). */
export const userFlagColumns: Record<IdentityStatusFlag, string> = {
  orphaned: 'orphaned',
  processingErrors: 'processing_errors',
  noGroups: 'no_groups',
  duplicateEmail: 'duplicate_email',
  deactivated: 'deactivated',
  uncountedMemberships: 'uncounted_memberships',
};
