import {
  IdentitySource,
  IdentityStatusFlag,
  IdentityUserSortField,
} from '@identity-governance/plugin-identity-common';

/** A user as the index holds it. */
export interface IndexedUser {
  entityRef: string;
  uid?: string;
  etag: string;
  namespace: string;
  name: string;
  displayName?: string;
  email?: string;
  source: IdentitySource;
  managedByLocation?: string;
  originLocation?: string;
  orphaned: boolean;
  processingErrors: boolean;
  deactivated: boolean;
  scimManaged: boolean;
  /** JSON-serialisable extras for the detail view. */
  details: IndexedUserDetails;
}

/** What the detail view needs beyond the columns. */
export interface IndexedUserDetails {
  annotations: Record<string, string>;
  errors: Array<{
    type?: string;
    level?: string;
    message: string;
    error?: { name?: string; message?: string; [key: string]: unknown };
  }>;
}

/** A user row with the columns the indexer derives. */
export interface StoredUser extends IndexedUser {
  noGroups: boolean;
  duplicateEmail: boolean;
  directGroupCount: number;
  inheritedGroupCount: number;
}

/** A group as the index holds it. */
export interface IndexedGroup {
  entityRef: string;
  etag: string;
  namespace: string;
  name: string;
  displayName?: string;
  source: IdentitySource;
  managedByLocation?: string;
  parentRefs: string[];
  childRefs: string[];
}

/** A group row with its member counts. */
export interface StoredGroup extends IndexedGroup {
  directMemberCount: number;
  totalMemberCount: number;
}

/** One row of the transitive closure. */
export interface ClosureRow {
  userRef: string;
  groupRef: string;
  direct: boolean;
  /** Group refs from the direct group to `groupRef`, both included. */
  path: string[];
}

/** Filters shared by the users listing and the CSV export. */
export interface UserFilter {
  /** Case-insensitive substring of name, display name or email. */
  q?: string;
  /** Members of this group, directly or through nested groups. */
  group?: string;
  /** Any of these sources. */
  sources?: IdentitySource[];
  /** Any of these flags. */
  statuses?: IdentityStatusFlag[];
}

export interface UserSort {
  field: IdentityUserSortField;
  order: 'asc' | 'desc';
}

export interface PageRequest {
  offset: number;
  limit: number;
}

/** The versions the index holds, to tell what changed in the catalog. */
export interface IndexVersions {
  users: Map<string, string>;
  groups: Map<string, { etag: string; parentRefs: string[] }>;
}

/** Changes made inside one transaction by the indexer. */
export interface IdentityIndexWriter {
  readVersions(): Promise<IndexVersions>;
  upsertUsers(
    users: IndexedUser[],
    directGroups: Map<string, string[]>,
  ): Promise<void>;
  upsertGroups(groups: IndexedGroup[]): Promise<void>;
  removeUsers(userRefs: string[]): Promise<void>;
  removeGroups(groupRefs: string[]): Promise<void>;
  /** Direct memberships of the given users, or of every user. */
  readDirectGroups(userRefs: string[] | 'all'): Promise<Map<string, string[]>>;
  /** Users directly in any of these groups. */
  readDirectMembers(groupRefs: string[]): Promise<string[]>;
  /** Replaces the closure rows of these users and their group counts. */
  replaceClosure(userRefs: string[], rows: ClosureRow[]): Promise<void>;
  recomputeDuplicateEmails(): Promise<void>;
  recomputeGroupCounts(): Promise<void>;
  setIndexedAt(date: Date): Promise<void>;
}

/** Reads the index for the API. */
export interface IdentityStore {
  /** Runs the indexer's changes in one transaction. */
  write<T>(fn: (writer: IdentityIndexWriter) => Promise<T>): Promise<T>;

  queryUsers(
    filter: UserFilter,
    sort: UserSort,
    page: PageRequest,
  ): Promise<{ items: StoredUser[]; totalItems: number }>;
  /** Batches of matching users in entity ref order, for the export. */
  streamUsers(
    filter: UserFilter,
    batchSize: number,
  ): AsyncIterable<StoredUser[]>;
  getUser(entityRef: string): Promise<StoredUser | undefined>;
  getDirectGroups(userRefs: string[]): Promise<Map<string, string[]>>;
  getClosure(userRefs: string[]): Promise<Map<string, ClosureRow[]>>;
  getGroups(): Promise<StoredGroup[]>;
  getGroup(entityRef: string): Promise<StoredGroup | undefined>;
  getGroupDisplayNames(groupRefs: string[]): Promise<Map<string, string>>;
  queryGroupMembers(
    groupRef: string,
    page: PageRequest,
  ): Promise<{
    items: Array<{ user: StoredUser; direct: boolean; path: string[] }>;
    totalItems: number;
  }>;
  summary(): Promise<{
    totalUsers: number;
    totalGroups: number;
    bySource: Partial<Record<IdentitySource, number>>;
    byStatus: Record<IdentityStatusFlag, number>;
    indexedAt?: string;
  }>;
}
