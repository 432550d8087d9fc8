import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the benchmark needs to know about the generated organisation. */
export interface OrgData {
  dir: string;
  /** The entity files (absolute paths), without the all.yaml index. */
  files: string[];
  users: Array<{ name: string; displayName: string; memberOf: string[] }>;
  groups: Array<{ name: string; type: string }>;
}

/** `org-50k` for 50,000 users and 5,000 groups, else the two numbers. */
export function orgDirName(users: number, groups: number) {
  return users % 1000 === 0 && groups * 10 === users
    ? `org-${users / 1000}k`
    : `org-${users}u-${groups}g`;
}

/**
 * Generates the organisation with scripts/generate-org.mjs unless the
 * directory already holds one made with the same arguments.
 */
export function ensureOrg(
  root: string,
  dir: string,
  users: number,
  groups: number,
  seed: string,
) {
  const index = join(dir, 'all.yaml');
  const marker = `--users ${users} --groups ${groups} --seed ${seed}\n`;
  if (existsSync(index) && readFileSync(index, 'utf8').includes(marker)) {
    return;
  }
  execFileSync(
    process.execPath,
    [
      join(root, 'scripts/generate-org.mjs'),
      '--users',
      String(users),
      '--groups',
      String(groups),
      '--out',
      dir,
      '--seed',
      seed,
    ],
    { stdio: 'inherit' },
  );
}

/** Reads names back from the generated YAML (one entity per `---` block). */
export function readOrg(dir: string): OrgData {
  const users: OrgData['users'] = [];
  const groups: OrgData['groups'] = [];
  const files: string[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.yaml') || file === 'all.yaml') {
      continue;
    }
    files.push(join(dir, file));
    for (const block of readFileSync(join(dir, file), 'utf8').split(/^---$/m)) {
      const name = /^ {2}name: (.+)$/m.exec(block)?.[1];
      if (!name) {
        continue;
      }
      if (/^kind: User$/m.test(block)) {
        const displayName = /^ {4}displayName: (.+)$/m.exec(block)?.[1] ?? '';
        const memberOf = /^ {2}memberOf: \[(.*)\]$/m.exec(block)?.[1] ?? '';
        users.push({
          name,
          displayName: displayName.replace(/^"|"$/g, ''),
          memberOf: memberOf.split(',').flatMap(g => g.trim() || []),
        });
      } else if (/^kind: Group$/m.test(block)) {
        groups.push({ name, type: /^ {2}type: (.+)$/m.exec(block)?.[1] ?? '' });
      }
    }
  }
  return { dir, files, users, groups };
}

/** mulberry32, as in the generator: the same picks on every run. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Search terms as a person would type them, drawn from the users' display
 * names and rotating through four kinds: a last name, a first name, a whole
 * display name, and the first four letters of a last name. Every term is a
 * substring of the display name, so both pages can show what matched.
 */
export function searchTerms(
  org: OrgData,
  count: number,
  random: () => number,
): string[] {
  const terms: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = org.users[Math.floor(random() * org.users.length)];
    const [first, last = first] = user.displayName
      .toLocaleLowerCase('en-US')
      .split(' ');
    switch (i % 4) {
      case 0:
        terms.push(last);
        break;
      case 1:
        terms.push(first);
        break;
      case 2:
        terms.push(`${first} ${last}`);
        break;
      default:
        terms.push(last.slice(0, 4));
    }
  }
  return terms;
}
