import {
  ParsedGroup,
  ParsedUser,
} from '@identity-governance/plugin-identity-node';
import {
  IdentitySource,
  IdentityUncountedMembership,
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
  /** What the user declares about its memberships, for the engine. */
  declarations: ParsedUser;
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

/**
 * A user row with the columns the indexer derives, without the details:
 * what listings, group members and the export read.
 */
export interface ListedUser
  extends Omit<IndexedUser, 'details' | 'declarations'> {
  noGroups: boolean;
  uncountedMemberships: boolean;
  duplicateEmail: boolean;
  directGroupCount: number;
  inheritedGroupCount: number;
}

/** A user with the details, as the detail view and offboarding read it. */
export interface StoredUser extends ListedUser {
  details: IndexedUserDetails;
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
  /** Parent groups whose edge counts, as the engine's graph has them. */
  parentRefs: string[];
  /** Child groups whose edge counts. */
  childRefs: string[];
}

/** A group as the indexer writes it: with what it declares, for the engine. */
export interface IndexedGroupWithDeclarations extends IndexedGroup {
  declarations: ParsedGroup;
}

/** A group row with its member counts. */
export interface StoredGroup extends IndexedGroup {
  directMemberCount: number;
  totalMemberCount: number;
}

/** What the group tree needs of a group. */
export type StoredGroupNode = Omit<
  StoredGroup,
  'childRefs' | 'etag' | 'source' | 'managedByLocation'
>;

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
  groups: Map<
    string,
    { etag: string; parentRefs: string[]; childRefs: string[] }
  >;
}

/** One declared membership that does not count, for one user. */
export interface UncountedRow extends IdentityUncountedMembership {
  userRef: string;
}

/** What paces the index refreshes; see `isRefreshDue`. */
export interface RefreshRecord {
  /** When the last refresh started (the index's `indexedAt`). */
  startedAt?: Date;
  /** How long that refresh took to find out what changed. */
  scanMs?: number;
  /** When a refresh was last asked for through the API. */
  requestedAt?: Date;
}

/** Refreshes that failed since the last one that finished. */
export interface RefreshFailure {
  /** When the first of them failed (ISO 8601). */
  since: string;
  /** When the last of them failed (ISO 8601). */
  at: string;
  /** The last one's error message. */
  message: string;
}

/** Totals over the index, as `GET /summary` shows them. */
export interface IndexSummary {
  totalUsers: number;
  totalGroups: number;
  /** Users per source; sources without users may be absent. */
  bySource: Partial<Record<IdentitySource, number>>;
  byStatus: Record<IdentityStatusFlag, number>;
}

/**
 * Changes made inside one transaction by the indexer. When any of them
 * changed the index, the store recomputes the stored summary in the same
 * transaction, so that the summary read after a commit is that commit's.
 */
export interface IdentityIndexWriter {
  readVersions(): Promise<IndexVersions>;
  upsertUsers(users: IndexedUser[]): Promise<void>;
  upsertGroups(groups: IndexedGroupWithDeclarations[]): Promise<void>;
  /** Sets the counted parent and child refs of groups that did not change. */
  updateGroupEdges(
    edges: Map<string, { parentRefs: string[]; childRefs: string[] }>,
  ): Promise<void>;
  removeUsers(userRefs: string[]): Promise<void>;
  removeGroups(groupRefs: string[]): Promise<void>;
  /** What every indexed group declares. */
  readGroupDeclarations(): Promise<Map<string, ParsedGroup>>;
  /** What these users, or every user, declare. */
  readUserDeclarations(
    userRefs: string[] | 'all',
  ): Promise<Map<string, ParsedUser>>;
  /**
   * Users whose counted or uncounted memberships pass through any of these
   * groups: the ones to resolve again when the groups change.
   */
  readUsersTouching(groupRefs: string[]): Promise<string[]>;
  /**
   * Replaces the closure rows (counted memberships; the direct ones are also
   * the users' direct groups) of these users and their group counts.
   */
  replaceClosure(userRefs: string[], rows: ClosureRow[]): Promise<void>;
  /**
   * Replaces these users' uncounted memberships that the engine finds (all
   * but the held ones) and their flag.
   */
  replaceUncounted(userRefs: string[], rows: UncountedRow[]): Promise<void>;
  /**
   * Replaces every held membership (reason `conflict`: declared by a SCIM
   * group held back as a source conflict) and the flag of the users it
   * concerns.
   */
  replaceHeldMemberships(rows: UncountedRow[]): Promise<void>;
  /**
   * The engine settings the index was last resolved with; when they change
   * every user is resolved again.
   */
  readEngineFingerprint(): Promise<string | undefined>;
  setEngineFingerprint(fingerprint: string): Promise<void>;
  recomputeDuplicateEmails(): Promise<void>;
  recomputeGroupCounts(): Promise<void>;
  /**
   * Records a finished refresh: when it started and how long it took to
   * find out what changed. Clears the failures recorded before it.
   */
  setIndexedAt(date: Date, scanMs: number): Promise<void>;
}

/** The index's users, as the API reads them. */
export interface IdentityUserReader {
  queryUsers(
    filter: UserFilter,
    sort: UserSort,
    page: PageRequest,
  ): Promise<{ items: ListedUser[]; totalItems: number }>;
  /** Batches of matching users in entity ref order, for the export. */
  streamUsers(
    filter: UserFilter,
    batchSize: number,
  ): AsyncIterable<ListedUser[]>;
  getUser(entityRef: string): Promise<StoredUser | undefined>;
  getDirectGroups(userRefs: string[]): Promise<Map<string, string[]>>;
  getClosure(userRefs: string[]): Promise<Map<string, ClosureRow[]>>;
  /** A user's declared memberships that do not count. */
  getUncounted(userRef: string): Promise<UncountedRow[]>;
}

/** The index's groups, as the API reads them. */
export interface IdentityGroupReader {
  /** Every group, without its child refs, in entity ref order. */
  getGroupNodes(): Promise<StoredGroupNode[]>;
  getGroup(entityRef: string): Promise<StoredGroup | undefined>;
  getGroupDisplayNames(groupRefs: string[]): Promise<Map<string, string>>;
  queryGroupMembers(
    groupRef: string,
    page: PageRequest,
  ): Promise<{
    items: Array<{ user: ListedUser; direct: boolean; path: string[] }>;
    totalItems: number;
  }>;
}

/** The index's state: its summary and what paces its refreshes. */
export interface IdentityIndexState {
  /**
   * The summary stored with the last write that changed the index, and when
   * the index last finished a refresh.
   */
  summary(): Promise<
    IndexSummary & { indexedAt?: string; refreshFailure?: RefreshFailure }
  >;
  refreshRecord(): Promise<RefreshRecord>;
  /**
   * Records a refresh that failed, for the page to say its data is stale
   * rather than show it as current. Kept in the database, as the replica
   * that runs the next refresh may be another.
   */
  recordRefreshFailure(at: Date, message: string): Promise<void>;
  /** Notes that a refresh should run at the next chance, whatever the pace. */
  requestRefresh(at: Date): Promise<void>;
}

/** The identity index: the indexer's writes and every concept's reads. */
export interface IdentityStore
  extends IdentityUserReader,
    IdentityGroupReader,
    IdentityIndexState {
  /** Runs the indexer's changes in one transaction. */
  write<T>(fn: (writer: IdentityIndexWriter) => Promise<T>): Promise<T>;
}
