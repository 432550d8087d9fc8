import { OrgData } from '../lib/org';

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
