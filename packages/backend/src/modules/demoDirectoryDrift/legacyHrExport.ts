import { promises as fs } from 'node:fs';

/** The users of the legacy HR export, as entity refs. */
export const LEGACY_HR_USERS = {
  /** Present in version 1 only: orphaned once version 2 is read. */
  orphan: 'user:default/olive.orphan',
  /** Valid in version 1, fails processing in version 2. */
  error: 'user:default/eric.error',
  /** Unchanged in both versions: a healthy record from the same source. */
  steady: 'user:default/lars.legacy',
} as const;

/** A version of the legacy HR export: 1 is clean, 2 has drifted. */
export type LegacyHrExportVersion = 1 | 2;

const HEADER = `# Legacy HR export, written by the demo-directory-drift catalog module.
# It stands for a third directory whose export changes under the catalog's feet.
`;

const steadyUser = `---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: lars.legacy
  annotations:
    legacy-hr.example.com/employee-number: LH-1003
spec:
  profile:
    displayName: Lars Legacy
    email: lars.legacy@example.com
  memberOf: [finance]
`;

const orphanUser = `---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: olive.orphan
  annotations:
    legacy-hr.example.com/employee-number: LH-1001
spec:
  profile:
    displayName: Olive Orphan
    email: olive.orphan@example.com
  memberOf: [finance]
`;

// Version 2 points the description at a file the export never shipped, so
// the placeholder cannot be resolved and processing of this user fails.
const errorUser = (version: LegacyHrExportVersion) => `---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: eric.error
  annotations:
    legacy-hr.example.com/employee-number: LH-1002
  description: ${
    version === 1 ? 'Payroll specialist.' : '{ $text: ./missing-bio.md }'
  }
spec:
  profile:
    displayName: Eric Error
    email: eric.error@example.com
  memberOf: [people]
`;

/**
 * A group the export declares under platform-admins, with an ordinary user
 * in it: what a self-promotion through a file outside the trusted
 * directories looks like. The policy does not count it, and the Identity
 * page lists it among oscar's memberships that do not count.
 */
export const LEGACY_HR_SELF_PROMOTION = {
  group: 'group:default/legacy-admins',
  member: 'user:default/oscar.ordinary',
  parent: 'group:default/platform-admins',
} as const;

const selfPromotionGroup = `---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: legacy-admins
  description: Declared by the legacy HR export, which no directory trusts.
spec:
  type: team
  parent: platform-admins
  children: []
  members: [oscar.ordinary]
`;

/** Renders one version of the legacy HR export as catalog YAML. */
export function renderLegacyHrExport(version: LegacyHrExportVersion): string {
  return version === 1
    ? `${HEADER}${orphanUser}${errorUser(1)}${steadyUser}${selfPromotionGroup}`
    : `${HEADER}${errorUser(2)}${steadyUser}${selfPromotionGroup}`;
}

/**
 * Writes a version of the export to `path`. The file is replaced atomically
 * so that the catalog never reads half of it.
 */
export async function writeLegacyHrExport(
  path: string,
  version: LegacyHrExportVersion,
): Promise<void> {
  const temporary = `${path}.tmp`;
  await fs.writeFile(temporary, renderLegacyHrExport(version), 'utf8');
  await fs.rename(temporary, path);
}
