import {
  IdentitySource,
  IdentityStatusFlag,
} from '@identity-governance/plugin-identity-common';

/** How each status flag reads on the page. */
export const statusFlagLabels: Record<IdentityStatusFlag, string> = {
  orphaned: 'Orphaned',
  processingErrors: 'Processing errors',
  noGroups: 'No groups',
  duplicateEmail: 'Duplicate email',
  deactivated: 'Deactivated',
  uncountedMemberships: 'Memberships not counted',
};

/** How each source reads on the page. */
export const sourceLabels: Record<IdentitySource, string> = {
  scim: 'SCIM',
  msgraph: 'Microsoft Graph',
  okta: 'Okta',
  ldap: 'LDAP',
  github: 'GitHub',
  file: 'File',
  url: 'URL',
  other: 'Other',
};
