import { IdentitySource } from '@identity-governance/plugin-identity-common';
import { USERS } from './engineRows';
import {
  IndexedUser,
  IndexedUserDetails,
  ListedUser,
  UserSort,
} from './IdentityStore';

export const sortColumns: Record<UserSort['field'], string> = {
  name: 'name_sort',
  displayName: 'display_sort',
  email: 'email_sort',
  source: 'source',
  directGroupCount: 'direct_group_count',
  inheritedGroupCount: 'inherited_group_count',
};

export type UserRow = {
  entity_ref: string;
  uid: string | null;
  etag: string;
  namespace: string;
  name: string;
  display_name: string | null;
  email: string | null;
  search_text: string;
  name_sort: string;
  display_sort: string;
  email_sort: string;
  source: string;
  managed_by_location: string | null;
  origin_location: string | null;
  orphaned: number;
  processing_errors: number;
  deactivated: number;
  scim_managed: number;
  no_groups: number;
  uncounted_memberships: number;
  duplicate_email: number;
  direct_group_count: number;
  inherited_group_count: number;
};

/** The columns a {@link ListedUser} is read from. */
export const LISTED_USER_COLUMNS = [
  'entity_ref',
  'uid',
  'etag',
  'namespace',
  'name',
  'display_name',
  'email',
  'source',
  'managed_by_location',
  'origin_location',
  'orphaned',
  'processing_errors',
  'deactivated',
  'scim_managed',
  'no_groups',
  'uncounted_memberships',
  'duplicate_email',
  'direct_group_count',
  'inherited_group_count',
] as const;

export type ListedUserRow = Pick<UserRow, (typeof LISTED_USER_COLUMNS)[number]>;

export const listedUserColumns = LISTED_USER_COLUMNS.map(c => `${USERS}.${c}`);

/** What a user without a details row reads as (none is written without). */
export const NO_DETAILS: IndexedUserDetails = { annotations: {}, errors: [] };

/** Sort keys are bounded so that they fit an indexed varchar(255). */
function sortKey(value: string | undefined): string {
  return (value ?? '').toLocaleLowerCase('en-US').slice(0, 200);
}

export function toUserRow(
  user: IndexedUser,
): Omit<
  UserRow,
  | 'no_groups'
  | 'uncounted_memberships'
  | 'duplicate_email'
  | 'direct_group_count'
  | 'inherited_group_count'
> & { declarations: string } {
  return {
    entity_ref: user.entityRef,
    uid: user.uid ?? null,
    etag: user.etag,
    namespace: user.namespace,
    name: user.name,
    display_name: user.displayName ?? null,
    email: user.email ?? null,
    search_text: [user.name, user.displayName ?? '', user.email ?? '']
      .join('\n')
      .toLocaleLowerCase('en-US'),
    name_sort: sortKey(user.name),
    display_sort: sortKey(user.displayName),
    email_sort: sortKey(user.email),
    source: user.source,
    managed_by_location: user.managedByLocation ?? null,
    origin_location: user.originLocation ?? null,
    orphaned: user.orphaned ? 1 : 0,
    processing_errors: user.processingErrors ? 1 : 0,
    deactivated: user.deactivated ? 1 : 0,
    scim_managed: user.scimManaged ? 1 : 0,
    declarations: JSON.stringify(user.declarations),
  };
}

export function fromUserRow(row: ListedUserRow): ListedUser {
  return {
    entityRef: row.entity_ref,
    uid: row.uid ?? undefined,
    etag: row.etag,
    namespace: row.namespace,
    name: row.name,
    displayName: row.display_name ?? undefined,
    email: row.email ?? undefined,
    source: row.source as IdentitySource,
    managedByLocation: row.managed_by_location ?? undefined,
    originLocation: row.origin_location ?? undefined,
    orphaned: Boolean(Number(row.orphaned)),
    processingErrors: Boolean(Number(row.processing_errors)),
    deactivated: Boolean(Number(row.deactivated)),
    scimManaged: Boolean(Number(row.scim_managed)),
    noGroups: Boolean(Number(row.no_groups)),
    uncountedMemberships: Boolean(Number(row.uncounted_memberships)),
    duplicateEmail: Boolean(Number(row.duplicate_email)),
    directGroupCount: Number(row.direct_group_count),
    inheritedGroupCount: Number(row.inherited_group_count),
  };
}
