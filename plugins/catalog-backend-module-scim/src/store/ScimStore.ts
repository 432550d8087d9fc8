import { JsonObject } from '@backstage/types';
import { Filter } from 'scim2-parse-filter';

export type ScimResourceType = 'User' | 'Group';

/** What provisioning did, as recorded in the history. */
export type ScimAction =
  | 'created'
  | 'updated'
  | 'deactivated'
  | 'reactivated'
  | 'deleted';

export interface StoredUser {
  id: string;
  idp: string;
  userName: string;
  externalId?: string;
  active: boolean;
  entityName: string;
  /** Canonical SCIM body without id, meta, schemas and groups. */
  resource: JsonObject;
  created: string;
  lastModified: string;
  version: number;
  /** Direct groups; filled by reads that ask for them. */
  groups?: { value: string; display: string }[];
}

export interface GroupMember {
  value: string;
  type: ScimResourceType;
  display?: string;
}

export interface StoredGroup {
  id: string;
  idp: string;
  displayName: string;
  externalId?: string;
  entityName: string;
  /** Canonical SCIM body without id, meta, schemas and members. */
  resource: JsonObject;
  created: string;
  lastModified: string;
  version: number;
  /** Filled by reads that ask for members. */
  members?: GroupMember[];
}

/** The new state of a user, computed by the service. */
export interface UserWrite {
  resource: JsonObject;
  userName: string;
  active: boolean;
  /** Entity names in order of preference; the first one free is taken. */
  entityNameCandidates: string[];
  action: ScimAction;
  /** Recorded in the history entry of this change. */
  details?: JsonObject;
}

export interface GroupWrite {
  resource: JsonObject;
  displayName: string;
  /** Member ids; their types are looked up by the store. */
  memberIds: string[];
  entityNameCandidates: string[];
  action: ScimAction;
}

/** What a write touched, so that the catalog can be told. */
export interface ScimChange {
  userIds: string[];
  groupIds: string[];
  /** Entity refs that may no longer be emitted (deleted, renamed). */
  previousRefs: string[];
}

export interface UserChange extends ScimChange {
  user?: StoredUser;
}

export interface GroupChange extends ScimChange {
  group?: StoredGroup;
}

export interface ListQuery {
  filter?: Filter;
  /** 1-based, as in SCIM. */
  startIndex: number;
  count: number;
}

export interface ListResult<T> {
  totalResults: number;
  items: T[];
}

export interface HistoryEntry {
  idp: string;
  resourceType: ScimResourceType;
  resourceId: string;
  entityRef: string;
  action: ScimAction;
  at: string;
  details?: JsonObject;
}

/** Everything the entity provider needs to build entities. */
export interface EntityGraph {
  users: StoredUser[];
  groups: StoredGroup[];
  /** Names of users and groups referenced by memberships, by id. */
  userNames: Map<string, { idp: string; entityName: string; active: boolean }>;
  groupNames: Map<string, { idp: string; entityName: string }>;
  /** group id -> member ids, and member id -> group ids. */
  membersOf: Map<string, GroupMember[]>;
  groupsOf: Map<string, string[]>;
}

/**
 * Persistence of SCIM resources. Every write runs in one transaction that
 * first locks the row it changes, so concurrent PATCHes of the same resource
 * are applied one after the other and none is lost.
 */
export interface ScimStore {
  createUser(idp: string, id: string, write: UserWrite): Promise<UserChange>;
  modifyUser(
    idp: string,
    id: string,
    modify: (current: StoredUser) => UserWrite,
  ): Promise<UserChange>;
  deleteUser(
    idp: string,
    id: string,
    check: (current: StoredUser) => void,
  ): Promise<UserChange>;
  getUser(idp: string, id: string): Promise<StoredUser | undefined>;
  listUsers(idp: string, query: ListQuery): Promise<ListResult<StoredUser>>;

  createGroup(idp: string, id: string, write: GroupWrite): Promise<GroupChange>;
  modifyGroup(
    idp: string,
    id: string,
    modify: (current: StoredGroup) => GroupWrite,
  ): Promise<GroupChange>;
  deleteGroup(
    idp: string,
    id: string,
    check: (current: StoredGroup) => void,
  ): Promise<GroupChange>;
  getGroup(
    idp: string,
    id: string,
    options?: { members?: boolean },
  ): Promise<StoredGroup | undefined>;
  listGroups(
    idp: string,
    query: ListQuery & { members?: boolean },
  ): Promise<ListResult<StoredGroup>>;

  /** All users and groups, or those with the given ids. */
  loadEntityGraph(selection?: {
    userIds: string[];
    groupIds: string[];
  }): Promise<EntityGraph>;
  getHistory(query: {
    entityRef?: string;
    resourceId?: string;
    limit?: number;
  }): Promise<HistoryEntry[]>;
}
