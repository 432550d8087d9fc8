import { InputError } from '@backstage/errors';
import { ReviewScope } from '@identity-governance/plugin-identity-common';
import { AccessService } from '../service/AccessService';
import {
  IdentityGroupReader,
  IdentityUserReader,
} from '../store/IdentityStore';
import { NewReviewItem } from './ReviewStore';

/** An item before its reviewer is chosen. */
export type ScopeItem = Omit<NewReviewItem, 'reviewer'>;

export interface CollectScopeOptions {
  access: AccessService;
  index: IdentityUserReader & IdentityGroupReader;
  maxItems: number;
}

const MEMBER_PAGE = 1000;
const USER_BATCH = 1000;
/** Fewer users than this are read one by one rather than by a full scan. */
const LOOKUP_ONE_BY_ONE = 200;

function tooMany(maxItems: number): InputError {
  return new InputError(
    `The scope covers more than ${maxItems} items (identity.reviews.maxItems); narrow it`,
  );
}

async function fromPermission(
  access: AccessService,
  permission: string,
  items: ScopeItem[],
  maxItems: number,
) {
  // An unknown permission throws InputError here.
  for await (const rows of await access.whoCanExport(permission)) {
    for (const row of rows) {
      items.push({
        userRef: row.userRef,
        ...(row.displayName ? { displayName: row.displayName } : {}),
        ...(row.email ? { email: row.email } : {}),
        access: permission,
        ...(row.groupRef ? { groupRef: row.groupRef } : {}),
        path: row.path,
        source: 'unknown',
        ...(row.decidedBy ? { decidedBy: row.decidedBy } : {}),
      });
      if (items.length > maxItems) {
        throw tooMany(maxItems);
      }
    }
  }
}

async function fromGroup(
  index: IdentityGroupReader,
  groupRef: string,
  items: ScopeItem[],
  maxItems: number,
) {
  if (!(await index.getGroup(groupRef))) {
    throw new InputError(`Unknown group ${groupRef}`);
  }
  for (let offset = 0; ; offset += MEMBER_PAGE) {
    const page = await index.queryGroupMembers(groupRef, {
      offset,
      limit: MEMBER_PAGE,
    });
    for (const { user, path } of page.items) {
      items.push({
        userRef: user.entityRef,
        ...(user.displayName ? { displayName: user.displayName } : {}),
        ...(user.email ? { email: user.email } : {}),
        access: groupRef,
        groupRef,
        path: [user.entityRef, ...path].join(' -> '),
        source: user.source,
        ...(user.managedByLocation
          ? { managedByLocation: user.managedByLocation }
          : {}),
      });
      if (items.length > maxItems) {
        throw tooMany(maxItems);
      }
    }
    if (page.items.length < MEMBER_PAGE) {
      return;
    }
  }
}

/** Each user's source and location, as the index has them now. */
async function lookupUsers(
  index: IdentityUserReader,
  refs: Set<string>,
): Promise<Map<string, { source: string; managedByLocation?: string }>> {
  const found = new Map<
    string,
    { source: string; managedByLocation?: string }
  >();
  if (refs.size <= LOOKUP_ONE_BY_ONE) {
    const users = await Promise.all([...refs].map(r => index.getUser(r)));
    for (const user of users) {
      if (user) {
        found.set(user.entityRef, user);
      }
    }
    return found;
  }
  for await (const batch of index.streamUsers({}, USER_BATCH)) {
    for (const user of batch) {
      if (refs.has(user.entityRef)) {
        found.set(user.entityRef, user);
      }
    }
  }
  return found;
}

/**
 * The items a scope covers now, one per user and access, with the path and
 * where the user and the group came from. Throws `InputError` for an
 * unknown permission or group and for a scope larger than `maxItems`.
 */
export async function collectScopeItems(
  scope: ReviewScope,
  options: CollectScopeOptions,
): Promise<ScopeItem[]> {
  const { access, index, maxItems } = options;
  const items: ScopeItem[] = [];
  if (scope.type === 'permission') {
    await fromPermission(access, scope.permission, items, maxItems);
  } else if (scope.type === 'groups') {
    for (const groupRef of scope.groups) {
      await fromGroup(index, groupRef, items, maxItems);
    }
  } else {
    const guarded = await access.guardedPermissions();
    for (const { name } of guarded) {
      await fromPermission(access, name, items, maxItems);
    }
  }

  // who-can rows carry no source or location: read them from the index.
  const missing = new Set(
    items.filter(i => i.source === 'unknown').map(i => i.userRef),
  );
  const users = missing.size ? await lookupUsers(index, missing) : new Map();
  const groupRefs = [...new Set(items.flatMap(i => i.groupRef ?? []))];
  const groups = new Map(
    await Promise.all(
      groupRefs.map(
        async ref =>
          [ref, (await index.getGroup(ref))?.managedByLocation] as const,
      ),
    ),
  );
  return items.map(item => {
    const user =
      item.source === 'unknown' ? users.get(item.userRef) : undefined;
    const groupLocation = item.groupRef ? groups.get(item.groupRef) : undefined;
    return {
      ...item,
      ...(user
        ? {
            source: user.source,
            ...(user.managedByLocation
              ? { managedByLocation: user.managedByLocation }
              : {}),
          }
        : {}),
      ...(groupLocation ? { groupManagedByLocation: groupLocation } : {}),
    };
  });
}
