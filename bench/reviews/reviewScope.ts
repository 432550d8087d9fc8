import { OrgData } from '../lib/org';

/** The groups a campaign covers and the people they hold. */
export interface ReviewBenchScope {
  /** Group refs, as `POST /reviews/campaigns` takes them. */
  groups: string[];
  /** Distinct users who are members, directly or through subgroups. */
  people: number;
  /** Their names. */
  names: Set<string>;
  /** (user, group) pairs: what the campaign should freeze, one per item. */
  pairs: number;
}

/**
 * Whole departments, largest first, until they hold `target` people: the
 * generated organisation has no single group of 5,000 between its
 * departments (tens of people) and the company (everyone), so "a large
 * group's members" is a few departments' members in one campaign. Counted
 * from the generator's data, so that the script can check the campaign's
 * item count against what it expected.
 */
export function pickDepartments(
  org: OrgData,
  target: number,
): ReviewBenchScope {
  const parent = new Map(org.groups.map(g => [g.name, g.parent]));
  const type = new Map(org.groups.map(g => [g.name, g.type]));
  const departmentOf = (group: string): string | undefined => {
    const seen = new Set<string>();
    for (
      let g: string | undefined = group;
      g && !seen.has(g);
      g = parent.get(g)
    ) {
      seen.add(g);
      if (type.get(g) === 'department') {
        return g;
      }
    }
    return undefined;
  };
  const departmentCache = new Map<string, string | undefined>();
  const members = new Map<string, Set<string>>();
  for (const user of org.users) {
    for (const group of user.memberOf) {
      if (!departmentCache.has(group)) {
        departmentCache.set(group, departmentOf(group));
      }
      const department = departmentCache.get(group);
      if (department) {
        const set = members.get(department) ?? new Set<string>();
        set.add(user.name);
        members.set(department, set);
      }
    }
  }
  const bySize = [...members].sort(
    (a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]),
  );
  const groups: string[] = [];
  const people = new Set<string>();
  let pairs = 0;
  for (const [department, users] of bySize) {
    if (people.size >= target) {
      break;
    }
    groups.push(`group:default/${department}`);
    users.forEach(u => people.add(u));
    pairs += users.size;
  }
  return { groups, people: people.size, names: people, pairs };
}
