import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ReviewScope } from '@identity-governance/plugin-identity-common';
import { shortRef } from '../shared/shortRef';

/** Who a campaign covers, in words. */
export function scopeLabel(scope: ReviewScope): string {
  switch (scope.type) {
    case 'permission':
      return `Who can ${scope.permission}`;
    case 'groups':
      return `Members of ${scope.groups.map(shortRef).join(', ')}`;
    default:
      return 'Every privileged user';
  }
}

/** The day of an ISO timestamp, as the backend stores it (UTC). */
export function day(iso: string): string {
  return iso.slice(0, 10);
}

/** An ISO timestamp in the reader's locale. */
export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString();
}

/** `user:default/a -> group:default/b` as the refs of its steps. */
export function pathRefs(path: string): string[] {
  return path.split(' -> ').map(step => step.trim());
}

/**
 * A reviewer typed as `sam.sre`, `default/sam.sre` or a full ref, as the
 * full user entity ref the backend takes; anything else as typed, for the
 * backend to refuse with its reason.
 */
export function toUserRef(text: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(text.trim(), {
        defaultKind: 'user',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return text.trim();
  }
}

/** A list of user refs typed with commas, spaces or new lines between. */
export function parseUserRefs(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(toUserRef);
}
