import { UserNameStrategy } from '../config/ScimConfig';

const MAX = 63;

/**
 * Makes a string a valid catalog entity name: `[a-z0-9]` runs separated by
 * single `-`, `_` or `.`, at most 63 characters.
 */
export function toEntityName(raw: string, fallback: string): string {
  let name = raw
    .trim()
    .toLocaleLowerCase('en-US')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9\-_.]+/g, '_')
    .replace(/([-_.])[-_.]+/g, '$1')
    .replace(/^[-_.]+|[-_.]+$/g, '');
  if (name.length > MAX) {
    name = name.slice(0, MAX).replace(/[-_.]+$/, '');
  }
  return name || fallback;
}

/**
 * Names to try, in order: the readable one, then ones made unique by the
 * SCIM id. The id never changes, so a collision always resolves to the same
 * name whatever order requests arrive in.
 */
function candidates(base: string, id: string): string[] {
  const compact = id.replace(/-/g, '');
  return [
    base,
    `${base.slice(0, MAX - 9).replace(/[-_.]+$/, '')}-${compact.slice(0, 8)}`,
    `${base.slice(0, MAX - 33).replace(/[-_.]+$/, '')}-${compact}`,
  ];
}

export function userEntityNameCandidates(
  userName: string,
  id: string,
  strategy: UserNameStrategy,
): string[] {
  const source =
    strategy === 'local-part' && userName.includes('@')
      ? userName.slice(0, userName.lastIndexOf('@'))
      : userName;
  return candidates(toEntityName(source, 'user'), id);
}

export function groupEntityNameCandidates(
  displayName: string,
  id: string,
): string[] {
  return candidates(toEntityName(displayName, 'group'), id);
}
