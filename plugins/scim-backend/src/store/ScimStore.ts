import { JsonObject } from '@backstage/types';
import {
  ScimAction,
  ScimConflict,
  ScimHeldMembership,
  ScimHistoryEntry,
  ScimResourceType,
} from '@identity-governance/plugin-scim-node';
import { Filter } from 'scim2-parse-filter';

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

/** An entity ref a SCIM IdP has claimed as its own. */
export interface ScimClaim {
  entityRef: string;
  idp: string;
  resourceType: ScimResourceType;
  resourceId: string;
  claimedAt: string;
  /** Origin of the source it was adopted from, if it was adopted. */
  adoptedFrom?: string;
  /** Who allowed the adoption: a user or service ref, or `config`. */
  adoptedBy?: string;
}

/** One event for the provisioning history; the store adds the time. */
export type HistoryEvent = Omit<ScimHistoryEntry, 'at' | 'conflict'>;

/** What an ownership check found, to be stored in one transaction. */
export interface OwnershipWrites {
  claims: Omit<ScimClaim, 'claimedAt'>[];
  conflicts: Omit<ScimConflict, 'detectedAt'>[];
  /** Conflicts resolved by config (`adoptFrom`); claims hold the adoption. */
  resolved: { idp: string; resourceId: string }[];
  /** Conflicts of records that now derive another entity ref. */
  stale: { idp: string; resourceId: string }[];
  history: HistoryEvent[];
}

/** Everything the catalog module's records are built from. */
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
 * SCIM users. Every write runs in one transaction that first locks the row
 * it changes, so concurrent PATCHes of the same resource are applied one
 * after the other and none is lost; it records its history event in the
 * same transaction.
 */
export interface ScimUserStore {
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
}

/** SCIM groups and their members; writes as for {@link ScimUserStore}. */
export interface ScimGroupStore {
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
}

/** Users, groups and memberships read together, for the catalog module. */
export interface ScimEntityGraphStore {
  /** All users and groups, or those with the given ids. */
  loadEntityGraph(selection?: {
    userIds: string[];
    groupIds: string[];
  }): Promise<EntityGraph>;
}

/** The provisioning history, newest first. */
export interface ScimHistoryStore {
  getHistory(query: {
    entityRef?: string;
    resourceId?: string;
    limit?: number;
  }): Promise<ScimHistoryEntry[]>;
}

/** Which IdP owns which entity ref, and the records held back. */
export interface ScimOwnershipStore {
  /** The claims of these refs and the conflicts of these records. */
  readOwnership(query: {
    entityRefs: string[];
    resourceIds: string[];
  }): Promise<{
    claims: ScimClaim[];
    conflicts: ScimConflict[];
  }>;
  /** Stores what an ownership check found, in one transaction. */
  recordOwnership(writes: OwnershipWrites): Promise<void>;
  /**
   * The records held back as conflicts, oldest first: every one, those over
   * one entity ref, or the held groups whose members include the record
   * emitted at `memberRef`.
   */
  listConflicts(filter?: {
    entityRef?: string;
    memberRef?: string;
  }): Promise<ScimConflict[]>;
  /**
   * Every membership a held group declares, one per member the IdP emits:
   * the memberships the IdP sent that nobody emits while the group is held.
   */
  listHeldMemberships(): Promise<ScimHeldMembership[]>;
  /**
   * Resolves a conflict in favour of the SCIM record: its IdP claims the
   * ref, adopted from the other source. Throws a 404 ScimError when the
   * record is not in conflict.
   */
  adoptConflict(
    idp: string,
    resourceId: string,
    adoptedBy: string,
  ): Promise<{ conflict: ScimConflict; change: ScimChange }>;
}

/** Persistence of the scim plugin: every concept's store in one. */
export interface ScimStore
  extends ScimUserStore,
    ScimGroupStore,
    ScimEntityGraphStore,
    ScimHistoryStore,
    ScimOwnershipStore {}
