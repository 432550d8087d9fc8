import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildOrg } from '../../scripts/org/buildOrg.mjs';
import { isOrgWritten, writeOrg } from '../../scripts/org/writeOrg.mjs';

export { seededRandom } from '../../scripts/org/buildOrg.mjs';

/** What the benchmarks need to know about the generated organisation. */
export interface OrgData {
  dir: string;
  /** The entity files (absolute paths), without the all.yaml index. */
  files: string[];
  users: Array<{ name: string; displayName: string; memberOf: string[] }>;
  /** `parent`: the parent group's name, as `spec.parent` gives it. */
  groups: Array<{ name: string; type: string; parent?: string }>;
}

/** `org-50k` for 50,000 users and 5,000 groups, else the two numbers. */
export function orgDirName(users: number, groups: number) {
  return users % 1000 === 0 && groups * 10 === users
    ? `org-${users / 1000}k`
    : `org-${users}u-${groups}g`;
}

/**
 * The organisation that `yarn demo:generate --users <users> --groups
 * <groups> --seed <seed>` writes, in `dir`: written there first unless the
 * folder already holds it.
 */
export async function loadOrg(
  dir: string,
  args: { users: number; groups: number; seed: string },
): Promise<OrgData> {
  if (!isOrgWritten(dir, args)) {
    const written = await writeOrg(dir, args);
    console.log(
      `Wrote ${args.users} users and ${args.groups} groups (seed ${
        args.seed
      }) to ${dir}: ${written.map(w => w.file).join(', ')}, all.yaml`,
    );
  }
  const { users, groups } = buildOrg(args);
  const files = readdirSync(dir)
    .filter(file => file.endsWith('.yaml') && file !== 'all.yaml')
    .sort()
    .map(file => join(dir, file));
  // Users in the order of their files' names, contractors before corp, as
  // earlier runs read them back: a seed keeps picking the same users.
  const inFileOrder = [
    ...users.filter(u => u.directory === 'contractors'),
    ...users.filter(u => u.directory === 'corp'),
  ];
  return {
    dir,
    files,
    users: inFileOrder.map(({ name, displayName, memberOf }) => ({
      name,
      displayName,
      memberOf,
    })),
    groups: groups.map(({ name, type, parent }) => ({ name, type, parent })),
  };
}
