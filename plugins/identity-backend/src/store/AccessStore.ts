import {
  IdentitySource,
  IdentityStatusFlag,
} from '@identity-governance/plugin-identity-common';
import { ClosureRow, PageRequest } from './IdentityStore';

/** A user as the access listings show it. */
export interface AccessListedUser {
  entityRef: string;
  namespace: string;
  name: string;
  displayName?: string;
  email?: string;
  source: IdentitySource;
  flags: IdentityStatusFlag[];
  inheritedGroupCount: number;
}

/**
 * Reads of the identity index for effective access: who is in any of a set
 * of groups (directly or through nested groups), from the closure table.
 */
export interface AccessStore {
  /**
   * Users in any of the groups, matching `q` (a case-insensitive substring
   * of name, display name or email, as `GET /users`), by name.
   */
  queryUsersInGroups(
    groupRefs: string[],
    q: string | undefined,
    page: PageRequest,
  ): Promise<{ items: AccessListedUser[]; totalItems: number }>;
  /** Every user in any of the groups, in entity ref order, in batches. */
  streamUsersInGroups(
    groupRefs: string[],
    batchSize: number,
  ): AsyncIterable<AccessListedUser[]>;
  /** The refs of every user in any of the groups. */
  getUserRefsInGroups(groupRefs: string[]): Promise<Set<string>>;
  /** The refs of every indexed user. */
  getAllUserRefs(): Promise<Set<string>>;
  /** These users, in entity ref order; unknown refs are left out. */
  getUsers(userRefs: string[]): Promise<AccessListedUser[]>;
  /** Each user's closure rows into the given groups, shortest path first. */
  getMembershipsIn(
    userRefs: string[],
    groupRefs: string[],
  ): Promise<Map<string, ClosureRow[]>>;
}
