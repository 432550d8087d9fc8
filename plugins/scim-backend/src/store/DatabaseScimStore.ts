import {
  DatabaseService,
  isDatabaseConflictError,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { applyScimFilter } from '../filter/applyScimFilter';
import { groupFilterTargets, userFilterTargets } from '../filter/filterTargets';
import { ENTERPRISE_USER_SCHEMA } from '../schema/scimSchemaUris';
import { ScimError } from '../errors/ScimError';
import {
  EntityGraph,
  GroupChange,
  GroupMember,
  GroupWrite,
  ListQuery,
  ListResult,
  OwnershipWrites,
  ScimChange,
  ScimClaim,
  ScimStore,
  StoredGroup,
  StoredUser,
  UserChange,
  UserWrite,
} from './ScimStore';
import {
  ScimAction,
  ScimConflict,
  ScimHistoryEntry,
  ScimResourceType,
} from '@identity-governance/plugin-scim-node';

const MIGRATIONS_TABLE = 'scim_knex_migrations';
/** Keeps statements under SQLite's bound-parameter limit. */
const CHUNK = 200;
/** Multi-valued user attributes copied to scim_values for filtering. */
const VALUE_ATTRIBUTES = [
  'emails',
  'phoneNumbers',
  'photos',
  'roles',
  'entitlements',
];

type Row = Record<string, any>;

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    result.push(items.slice(i, i + CHUNK));
  }
  return result;
}

const str = (v: unknown) => (v === undefined || v === null ? null : String(v));

function userColumns(write: UserWrite) {
  const r = write.resource;
  const name = (r.name ?? {}) as JsonObject;
  const ext = (r[ENTERPRISE_USER_SCHEMA] ?? {}) as JsonObject;
  const manager = (ext.manager ?? {}) as JsonObject;
  return {
    user_name: write.userName,
    user_name_lower: write.userName.toLocaleLowerCase('en-US'),
    external_id: str(r.externalId),
    display_name: str(r.displayName),
    given_name: str(name.givenName),
    family_name: str(name.familyName),
    formatted_name: str(name.formatted),
    nick_name: str(r.nickName),
    title: str(r.title),
    user_type: str(r.userType),
    preferred_language: str(r.preferredLanguage),
    locale: str(r.locale),
    timezone: str(r.timezone),
    active: write.active,
    employee_number: str(ext.employeeNumber),
    cost_center: str(ext.costCenter),
    organization: str(ext.organization),
    division: str(ext.division),
    department: str(ext.department),
    manager_id: str(manager.value),
    resource: JSON.stringify(r),
  };
}

function valueRows(id: string, resource: JsonObject): Row[] {
  const rows: Row[] = [];
  for (const attribute of VALUE_ATTRIBUTES) {
    const items = resource[attribute];
    if (!Array.isArray(items)) {
      continue;
    }
    for (const item of items as JsonObject[]) {
      rows.push({
        resource_id: id,
        attribute,
        value: str(item.value),
        display: str(item.display),
        type: str(item.type),
        is_primary: item.primary === true,
      });
    }
  }
  return rows;
}

function toUser(row: Row): StoredUser {
  return {
    id: row.id,
    idp: row.idp,
    userName: row.user_name,
    externalId: row.external_id ?? undefined,
    active: Boolean(row.active),
    entityName: row.entity_name,
    resource: JSON.parse(row.resource),
    created: row.created_at,
    lastModified: row.updated_at,
    version: Number(row.version),
  };
}

function toGroup(row: Row): StoredGroup {
  return {
    id: row.id,
    idp: row.idp,
    displayName: row.display_name,
    externalId: row.external_id ?? undefined,
    entityName: row.entity_name,
    resource: JSON.parse(row.resource),
    created: row.created_at,
    lastModified: row.updated_at,
    version: Number(row.version),
  };
}

function toClaim(row: Row): ScimClaim {
  return {
    entityRef: row.entity_ref,
    idp: row.idp,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    claimedAt: row.claimed_at,
    adoptedFrom: row.adopted_from ?? undefined,
    adoptedBy: row.adopted_by ?? undefined,
  };
}

function toConflict(row: Row): ScimConflict {
  return {
    idp: row.idp,
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    entityRef: row.entity_ref,
    otherOrigin: row.other_origin,
    detectedAt: row.detected_at,
  };
}

export interface DatabaseScimStoreOptions {
  /** Builds the entity ref recorded in the history. */
  entityRefOf(kind: ScimResourceType, idp: string, entityName: string): string;
  /** Clock, swappable in tests. */
  now?: () => Date;
}

/** The knex implementation of {@link ScimStore}, for SQLite and PostgreSQL. */
export class DatabaseScimStore implements ScimStore {
  static async create(
    database: DatabaseService,
    options: DatabaseScimStoreOptions,
  ): Promise<DatabaseScimStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await DatabaseScimStore.migrate(knex);
    }
    return new DatabaseScimStore(knex, options);
  }

  static async migrate(knex: Knex): Promise<void> {
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@identity-governance/plugin-scim-backend',
        'migrations',
      ),
      tableName: MIGRATIONS_TABLE,
    });
  }

  constructor(
    private readonly knex: Knex,
    private readonly options: DatabaseScimStoreOptions,
  ) {}

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  private async history(
    tx: Knex.Transaction,
    entry: Omit<ScimHistoryEntry, 'at' | 'entityRef'> & { entityName: string },
    at: string,
  ) {
    await tx('scim_history').insert({
      idp: entry.idp,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId,
      entity_ref: this.options.entityRefOf(
        entry.resourceType,
        entry.idp,
        entry.entityName,
      ),
      action: entry.action,
      at,
      details: entry.details ? JSON.stringify(entry.details) : null,
    });
  }

  private async pickEntityName(
    tx: Knex.Transaction,
    table: string,
    id: string,
    candidates: string[],
    current?: string,
  ): Promise<string> {
    // A resource keeps the name it has while it is still a valid candidate,
    // so that names do not move when a colliding resource goes away.
    if (current && candidates.includes(current)) {
      return current;
    }
    const taken: string[] = await tx(table)
      .whereIn('entity_name', candidates)
      .whereNot('id', id)
      .pluck('entity_name');
    const free = candidates.find(c => !taken.includes(c));
    if (!free) {
      throw new ScimError(500, `No free entity name among ${candidates}`);
    }
    return free;
  }

  /**
   * Bumps the version first: that takes the row lock (PostgreSQL) or the
   * write lock (SQLite) before anything is read, which serializes writers.
   */
  private async lock(
    tx: Knex.Transaction,
    table: string,
    idp: string,
    id: string,
  ): Promise<Row> {
    const updated = await tx(table)
      .where({ id, idp })
      .update({ version: tx.raw('version + 1') });
    if (!updated) {
      throw ScimError.notFound(`Resource ${id} not found`);
    }
    const row = await tx(table).where({ id }).first();
    return { ...row, version: Number(row.version) - 1 };
  }

  private async withConflictRetry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        // Two creates racing for the same entity name: the loser picks again.
        if (!isDatabaseConflictError(error) || attempt >= 3) {
          throw error;
        }
      }
    }
  }

  private async assertUserNameFree(
    tx: Knex.Transaction,
    idp: string,
    id: string,
    userName: string,
  ) {
    const other = await tx('scim_users')
      .where({ idp, user_name_lower: userName.toLocaleLowerCase('en-US') })
      .whereNot('id', id)
      .first('id');
    if (other) {
      throw ScimError.conflict(`userName '${userName}' is already in use`);
    }
  }

  private async assertDisplayNameFree(
    tx: Knex.Transaction,
    idp: string,
    id: string,
    displayName: string,
  ) {
    const other = await tx('scim_groups')
      .where({
        idp,
        display_name_lower: displayName.toLocaleLowerCase('en-US'),
      })
      .whereNot('id', id)
      .first('id');
    if (other) {
      throw ScimError.conflict(
        `Group displayName '${displayName}' is already in use`,
      );
    }
  }

  private async groupIdsOf(
    db: Knex | Knex.Transaction,
    memberId: string,
  ): Promise<string[]> {
    return db('scim_members').where({ member_id: memberId }).pluck('group_id');
  }

  private async loadUserGroups(
    db: Knex | Knex.Transaction,
    users: StoredUser[],
  ) {
    const byId = new Map(users.map(u => [u.id, u]));
    users.forEach(u => {
      u.groups = [];
    });
    for (const ids of chunks([...byId.keys()])) {
      const rows = await db('scim_members as m')
        .join('scim_groups as g', 'g.id', 'm.group_id')
        .whereIn('m.member_id', ids)
        .orderBy('g.display_name')
        .select('m.member_id', 'g.id', 'g.display_name');
      for (const row of rows) {
        byId.get(row.member_id)!.groups!.push({
          value: row.id,
          display: row.display_name,
        });
      }
    }
  }

  private async loadMembers(
    db: Knex | Knex.Transaction,
    groupIds: string[],
  ): Promise<Map<string, GroupMember[]>> {
    const result = new Map<string, GroupMember[]>(groupIds.map(id => [id, []]));
    for (const ids of chunks(groupIds)) {
      const rows = await db('scim_members as m')
        .leftJoin('scim_users as u', 'u.id', 'm.member_id')
        .leftJoin('scim_groups as g', 'g.id', 'm.member_id')
        .whereIn('m.group_id', ids)
        .orderBy(['m.group_id', 'm.member_id'])
        .select(
          'm.group_id',
          'm.member_id',
          'm.member_type',
          'u.display_name as user_display',
          'u.user_name',
          'g.display_name as group_display',
        );
      for (const row of rows) {
        result.get(row.group_id)!.push({
          value: row.member_id,
          type: row.member_type,
          display:
            row.member_type === 'User'
              ? row.user_display ?? row.user_name ?? undefined
              : row.group_display ?? undefined,
        });
      }
    }
    return result;
  }

  async createUser(
    idp: string,
    id: string,
    write: UserWrite,
  ): Promise<UserChange> {
    const at = this.now();
    return this.withConflictRetry(() =>
      this.knex.transaction(async tx => {
        await this.assertUserNameFree(tx, idp, id, write.userName);
        const entityName = await this.pickEntityName(
          tx,
          'scim_users',
          id,
          write.entityNameCandidates,
        );
        await tx('scim_users').insert({
          id,
          idp,
          ...userColumns(write),
          entity_name: entityName,
          created_at: at,
          updated_at: at,
          version: 1,
        });
        await this.insertValues(tx, id, write.resource);
        await this.history(
          tx,
          {
            idp,
            resourceType: 'User',
            resourceId: id,
            entityName,
            action: write.action,
            details: { userName: write.userName },
          },
          at,
        );
        const user = toUser(await tx('scim_users').where({ id }).first());
        user.groups = [];
        return { user, userIds: [id], groupIds: [], previousRefs: [] };
      }),
    );
  }

  private async insertValues(
    tx: Knex.Transaction,
    id: string,
    resource: JsonObject,
  ) {
    await tx('scim_values').where({ resource_id: id }).delete();
    for (const rows of chunks(valueRows(id, resource))) {
      await tx('scim_values').insert(rows);
    }
  }

  async modifyUser(
    idp: string,
    id: string,
    modify: (current: StoredUser) => UserWrite,
  ): Promise<UserChange> {
    const at = this.now();
    return this.withConflictRetry(() =>
      this.knex.transaction(async tx => {
        const current = toUser(await this.lock(tx, 'scim_users', idp, id));
        await this.loadUserGroups(tx, [current]);
        const write = modify(current);
        await this.assertUserNameFree(tx, idp, id, write.userName);
        const entityName = await this.pickEntityName(
          tx,
          'scim_users',
          id,
          write.entityNameCandidates,
          current.entityName,
        );
        await tx('scim_users')
          .where({ id })
          .update({
            ...userColumns(write),
            entity_name: entityName,
            updated_at: at,
          });
        await this.insertValues(tx, id, write.resource);
        await this.history(
          tx,
          {
            idp,
            resourceType: 'User',
            resourceId: id,
            entityName,
            action: write.action,
            details:
              entityName !== current.entityName || write.details
                ? {
                    ...write.details,
                    ...(entityName !== current.entityName
                      ? { renamedFrom: current.entityName }
                      : {}),
                  }
                : undefined,
          },
          at,
        );
        const user = toUser(await tx('scim_users').where({ id }).first());
        user.groups = current.groups;
        return {
          user,
          userIds: [id],
          groupIds: current.groups!.map(g => g.value),
          previousRefs: [
            this.options.entityRefOf('User', idp, current.entityName),
          ],
        };
      }),
    );
  }

  async deleteUser(
    idp: string,
    id: string,
    check: (current: StoredUser) => void,
  ): Promise<UserChange> {
    const at = this.now();
    return this.knex.transaction(async tx => {
      const current = toUser(await this.lock(tx, 'scim_users', idp, id));
      check(current);
      const groupIds = await this.groupIdsOf(tx, id);
      await tx('scim_members').where({ member_id: id }).delete();
      await tx('scim_values').where({ resource_id: id }).delete();
      await tx('scim_users').where({ id }).delete();
      await tx('scim_conflicts').where({ idp, resource_id: id }).delete();
      await this.history(
        tx,
        {
          idp,
          resourceType: 'User',
          resourceId: id,
          entityName: current.entityName,
          action: 'deleted',
        },
        at,
      );
      return {
        userIds: [id],
        groupIds,
        previousRefs: [
          this.options.entityRefOf('User', idp, current.entityName),
        ],
      };
    });
  }

  async getUser(idp: string, id: string): Promise<StoredUser | undefined> {
    const row = await this.knex('scim_users').where({ idp, id }).first();
    if (!row) {
      return undefined;
    }
    const user = toUser(row);
    await this.loadUserGroups(this.knex, [user]);
    return user;
  }

  private async list(
    table: string,
    idp: string,
    query: ListQuery,
    targets: typeof userFilterTargets,
  ): Promise<{ total: number; rows: Row[] }> {
    const base = this.knex(`${table} as t`).where('t.idp', idp);
    if (query.filter) {
      applyScimFilter(this.knex, base, query.filter, targets, 't');
    }
    const [{ total }] = await base.clone().count({ total: '*' });
    if (query.count <= 0) {
      return { total: Number(total), rows: [] };
    }
    const rows = await base
      .clone()
      .select('t.*')
      .orderBy([
        { column: 't.created_at', order: 'asc' },
        { column: 't.id', order: 'asc' },
      ])
      .offset(query.startIndex - 1)
      .limit(query.count);
    return { total: Number(total), rows };
  }

  async listUsers(
    idp: string,
    query: ListQuery,
  ): Promise<ListResult<StoredUser>> {
    const { total, rows } = await this.list(
      'scim_users',
      idp,
      query,
      userFilterTargets,
    );
    const items = rows.map(toUser);
    await this.loadUserGroups(this.knex, items);
    return { totalResults: total, items };
  }

  private async writeMembers(
    tx: Knex.Transaction,
    idp: string,
    groupId: string,
    current: string[],
    next: string[],
  ): Promise<{ added: GroupMember[]; removed: string[] }> {
    const wanted = new Set(next);
    const existing = new Set(current);
    const removed = current.filter(m => !wanted.has(m));
    const addedIds = [...wanted].filter(m => !existing.has(m));
    if (addedIds.includes(groupId)) {
      throw ScimError.badRequest(
        'invalidValue',
        'A group cannot contain itself',
      );
    }
    const added: GroupMember[] = [];
    for (const ids of chunks(addedIds)) {
      const users: string[] = await tx('scim_users')
        .where({ idp })
        .whereIn('id', ids)
        .pluck('id');
      const groups: string[] = await tx('scim_groups')
        .where({ idp })
        .whereIn('id', ids)
        .pluck('id');
      const unknown = ids.filter(
        i => !users.includes(i) && !groups.includes(i),
      );
      if (unknown.length) {
        throw ScimError.badRequest(
          'invalidValue',
          `Unknown members: ${unknown.join(', ')}`,
        );
      }
      added.push(
        ...users.map(value => ({ value, type: 'User' as const })),
        ...groups.map(value => ({ value, type: 'Group' as const })),
      );
    }
    for (const rows of chunks(added)) {
      await tx('scim_members').insert(
        rows.map(m => ({
          group_id: groupId,
          member_id: m.value,
          member_type: m.type,
        })),
      );
    }
    for (const ids of chunks(removed)) {
      await tx('scim_members')
        .where({ group_id: groupId })
        .whereIn('member_id', ids)
        .delete();
    }
    return { added, removed };
  }

  async createGroup(
    idp: string,
    id: string,
    write: GroupWrite,
  ): Promise<GroupChange> {
    const at = this.now();
    return this.withConflictRetry(() =>
      this.knex.transaction(async tx => {
        await this.assertDisplayNameFree(tx, idp, id, write.displayName);
        const entityName = await this.pickEntityName(
          tx,
          'scim_groups',
          id,
          write.entityNameCandidates,
        );
        await tx('scim_groups').insert({
          id,
          idp,
          display_name: write.displayName,
          display_name_lower: write.displayName.toLocaleLowerCase('en-US'),
          external_id: str(write.resource.externalId),
          entity_name: entityName,
          resource: JSON.stringify(write.resource),
          created_at: at,
          updated_at: at,
          version: 1,
        });
        const { added } = await this.writeMembers(
          tx,
          idp,
          id,
          [],
          write.memberIds,
        );
        await this.history(
          tx,
          {
            idp,
            resourceType: 'Group',
            resourceId: id,
            entityName,
            action: write.action,
            details: { displayName: write.displayName },
          },
          at,
        );
        const group = toGroup(await tx('scim_groups').where({ id }).first());
        group.members = (await this.loadMembers(tx, [id])).get(id);
        return {
          group,
          groupIds: [
            id,
            ...added.filter(m => m.type === 'Group').map(m => m.value),
          ],
          userIds: added.filter(m => m.type === 'User').map(m => m.value),
          previousRefs: [],
        };
      }),
    );
  }

  async modifyGroup(
    idp: string,
    id: string,
    modify: (current: StoredGroup) => GroupWrite,
  ): Promise<GroupChange> {
    const at = this.now();
    return this.withConflictRetry(() =>
      this.knex.transaction(async tx => {
        const current = toGroup(await this.lock(tx, 'scim_groups', idp, id));
        current.members = (await this.loadMembers(tx, [id])).get(id);
        const write = modify(current);
        await this.assertDisplayNameFree(tx, idp, id, write.displayName);
        const entityName = await this.pickEntityName(
          tx,
          'scim_groups',
          id,
          write.entityNameCandidates,
          current.entityName,
        );
        await tx('scim_groups')
          .where({ id })
          .update({
            display_name: write.displayName,
            display_name_lower: write.displayName.toLocaleLowerCase('en-US'),
            external_id: str(write.resource.externalId),
            entity_name: entityName,
            resource: JSON.stringify(write.resource),
            updated_at: at,
          });
        const currentIds = current.members!.map(m => m.value);
        const { added, removed } = await this.writeMembers(
          tx,
          idp,
          id,
          currentIds,
          write.memberIds,
        );
        const renamed = entityName !== current.entityName;
        await this.history(
          tx,
          {
            idp,
            resourceType: 'Group',
            resourceId: id,
            entityName,
            action: write.action,
            details: {
              ...(renamed ? { renamedFrom: current.entityName } : {}),
              ...(added.length ? { membersAdded: added.length } : {}),
              ...(removed.length ? { membersRemoved: removed.length } : {}),
            },
          },
          at,
        );
        const group = toGroup(await tx('scim_groups').where({ id }).first());
        group.members = (await this.loadMembers(tx, [id])).get(id);
        // A rename changes the memberOf of every member; otherwise only the
        // members that came and went need to be re-emitted.
        const touched = renamed
          ? [...current.members!, ...added]
          : [
              ...added,
              ...current.members!.filter(m => removed.includes(m.value)),
            ];
        return {
          group,
          groupIds: [
            id,
            ...(await this.groupIdsOf(tx, id)),
            ...touched.filter(m => m.type === 'Group').map(m => m.value),
          ],
          userIds: touched.filter(m => m.type === 'User').map(m => m.value),
          previousRefs: [
            this.options.entityRefOf('Group', idp, current.entityName),
          ],
        };
      }),
    );
  }

  async deleteGroup(
    idp: string,
    id: string,
    check: (current: StoredGroup) => void,
  ): Promise<GroupChange> {
    const at = this.now();
    return this.knex.transaction(async tx => {
      const current = toGroup(await this.lock(tx, 'scim_groups', idp, id));
      check(current);
      const members = (await this.loadMembers(tx, [id])).get(id)!;
      const parents = await this.groupIdsOf(tx, id);
      await tx('scim_members').where({ group_id: id }).delete();
      await tx('scim_members').where({ member_id: id }).delete();
      await tx('scim_groups').where({ id }).delete();
      await tx('scim_conflicts').where({ idp, resource_id: id }).delete();
      await this.history(
        tx,
        {
          idp,
          resourceType: 'Group',
          resourceId: id,
          entityName: current.entityName,
          action: 'deleted',
        },
        at,
      );
      return {
        groupIds: [
          id,
          ...parents,
          ...members.filter(m => m.type === 'Group').map(m => m.value),
        ],
        userIds: members.filter(m => m.type === 'User').map(m => m.value),
        previousRefs: [
          this.options.entityRefOf('Group', idp, current.entityName),
        ],
      };
    });
  }

  async getGroup(
    idp: string,
    id: string,
    options?: { members?: boolean },
  ): Promise<StoredGroup | undefined> {
    const row = await this.knex('scim_groups').where({ idp, id }).first();
    if (!row) {
      return undefined;
    }
    const group = toGroup(row);
    if (options?.members !== false) {
      group.members = (await this.loadMembers(this.knex, [id])).get(id);
    }
    return group;
  }

  async listGroups(
    idp: string,
    query: ListQuery & { members?: boolean },
  ): Promise<ListResult<StoredGroup>> {
    const { total, rows } = await this.list(
      'scim_groups',
      idp,
      query,
      groupFilterTargets,
    );
    const items = rows.map(toGroup);
    if (query.members !== false && items.length) {
      const members = await this.loadMembers(
        this.knex,
        items.map(g => g.id),
      );
      items.forEach(g => {
        g.members = members.get(g.id);
      });
    }
    return { totalResults: total, items };
  }

  async loadEntityGraph(selection?: {
    userIds: string[];
    groupIds: string[];
  }): Promise<EntityGraph> {
    const db = this.knex;
    let userRows: Row[];
    let groupRows: Row[];
    let memberRows: Row[];
    if (!selection) {
      userRows = await db('scim_users').orderBy('id');
      groupRows = await db('scim_groups').orderBy('id');
      memberRows = await db('scim_members');
    } else {
      userRows = [];
      groupRows = [];
      memberRows = [];
      for (const ids of chunks([...new Set(selection.userIds)])) {
        userRows.push(...(await db('scim_users').whereIn('id', ids)));
        memberRows.push(
          ...(await db('scim_members').whereIn('member_id', ids)),
        );
      }
      for (const ids of chunks([...new Set(selection.groupIds)])) {
        groupRows.push(...(await db('scim_groups').whereIn('id', ids)));
        memberRows.push(...(await db('scim_members').whereIn('group_id', ids)));
      }
    }
    const users = userRows.map(toUser);
    const groups = groupRows.map(toGroup);
    const userNames: EntityGraph['userNames'] = new Map(
      users.map(u => [
        u.id,
        { idp: u.idp, entityName: u.entityName, active: u.active },
      ]),
    );
    const groupNames: EntityGraph['groupNames'] = new Map(
      groups.map(g => [g.id, { idp: g.idp, entityName: g.entityName }]),
    );
    if (selection) {
      const missingUsers = new Set<string>();
      const missingGroups = new Set<string>();
      for (const m of memberRows) {
        if (!groupNames.has(m.group_id)) missingGroups.add(m.group_id);
        if (m.member_type === 'User' && !userNames.has(m.member_id)) {
          missingUsers.add(m.member_id);
        }
        if (m.member_type === 'Group' && !groupNames.has(m.member_id)) {
          missingGroups.add(m.member_id);
        }
      }
      for (const ids of chunks([...missingUsers])) {
        const rows = await db('scim_users')
          .whereIn('id', ids)
          .select('id', 'idp', 'entity_name', 'active');
        rows.forEach(r =>
          userNames.set(r.id, {
            idp: r.idp,
            entityName: r.entity_name,
            active: Boolean(r.active),
          }),
        );
      }
      for (const ids of chunks([...missingGroups])) {
        const rows = await db('scim_groups')
          .whereIn('id', ids)
          .select('id', 'idp', 'entity_name');
        rows.forEach(r =>
          groupNames.set(r.id, { idp: r.idp, entityName: r.entity_name }),
        );
      }
    }
    const membersOf = new Map<string, GroupMember[]>();
    const groupsOf = new Map<string, string[]>();
    const seen = new Set<string>();
    for (const m of memberRows) {
      const key = `${m.group_id}/${m.member_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!membersOf.has(m.group_id)) membersOf.set(m.group_id, []);
      membersOf
        .get(m.group_id)!
        .push({ value: m.member_id, type: m.member_type });
      if (!groupsOf.has(m.member_id)) groupsOf.set(m.member_id, []);
      groupsOf.get(m.member_id)!.push(m.group_id);
    }
    return { users, groups, userNames, groupNames, membersOf, groupsOf };
  }

  async getHistory(query: {
    entityRef?: string;
    resourceId?: string;
    limit?: number;
  }): Promise<ScimHistoryEntry[]> {
    const builder = this.knex('scim_history')
      .orderBy('seq', 'desc')
      .limit(query.limit ?? 100);
    if (query.entityRef) {
      builder.where('entity_ref', query.entityRef.toLocaleLowerCase('en-US'));
    }
    if (query.resourceId) {
      builder.where('resource_id', query.resourceId);
    }
    const rows = await builder;
    const conflicts = new Map<string, ScimConflict>();
    for (const ids of chunks([...new Set(rows.map(r => r.resource_id))])) {
      const found = await this.knex('scim_conflicts').whereIn(
        'resource_id',
        ids,
      );
      found.forEach(c =>
        conflicts.set(`${c.idp}/${c.resource_id}`, toConflict(c)),
      );
    }
    return rows.map(r => {
      const conflict = conflicts.get(`${r.idp}/${r.resource_id}`);
      return {
        idp: r.idp,
        resourceType: r.resource_type,
        resourceId: r.resource_id,
        entityRef: r.entity_ref,
        action: r.action as ScimAction,
        at: r.at,
        details: r.details ? JSON.parse(r.details) : undefined,
        ...(conflict
          ? {
              conflict: {
                entityRef: conflict.entityRef,
                otherOrigin: conflict.otherOrigin,
                detectedAt: conflict.detectedAt,
              },
            }
          : {}),
      };
    });
  }

  async readOwnership(query: {
    entityRefs: string[];
    resourceIds: string[];
  }): Promise<{ claims: ScimClaim[]; conflicts: ScimConflict[] }> {
    const claims: ScimClaim[] = [];
    const conflicts: ScimConflict[] = [];
    for (const refs of chunks([...new Set(query.entityRefs)])) {
      const rows = await this.knex('scim_claims').whereIn('entity_ref', refs);
      claims.push(...rows.map(toClaim));
    }
    for (const ids of chunks([...new Set(query.resourceIds)])) {
      const rows = await this.knex('scim_conflicts').whereIn(
        'resource_id',
        ids,
      );
      conflicts.push(...rows.map(toConflict));
    }
    return { claims, conflicts };
  }

  async recordOwnership(writes: OwnershipWrites): Promise<void> {
    if (
      !writes.claims.length &&
      !writes.conflicts.length &&
      !writes.resolved.length &&
      !writes.stale.length &&
      !writes.history.length
    ) {
      return;
    }
    const at = this.now();
    await this.knex.transaction(async tx => {
      for (const { idp, resourceId } of [...writes.resolved, ...writes.stale]) {
        await tx('scim_conflicts')
          .where({ idp, resource_id: resourceId })
          .delete();
      }
      for (const claim of writes.claims) {
        await tx('scim_claims')
          .insert({
            entity_ref: claim.entityRef,
            idp: claim.idp,
            resource_type: claim.resourceType,
            resource_id: claim.resourceId,
            claimed_at: at,
            adopted_from: claim.adoptedFrom ?? null,
            adopted_by: claim.adoptedBy ?? null,
          })
          .onConflict('entity_ref')
          .merge();
      }
      for (const conflict of writes.conflicts) {
        await tx('scim_conflicts')
          .insert({
            idp: conflict.idp,
            resource_id: conflict.resourceId,
            resource_type: conflict.resourceType,
            entity_ref: conflict.entityRef,
            other_origin: conflict.otherOrigin,
            detected_at: at,
          })
          .onConflict(['idp', 'resource_id'])
          .merge();
      }
      for (const entry of writes.history) {
        await this.insertHistory(tx, entry, at);
      }
    });
  }

  async listConflicts(): Promise<ScimConflict[]> {
    const rows = await this.knex('scim_conflicts').orderBy([
      'detected_at',
      'idp',
      'resource_id',
    ]);
    return rows.map(toConflict);
  }

  async adoptConflict(
    idp: string,
    resourceId: string,
    adoptedBy: string,
  ): Promise<{ conflict: ScimConflict; change: ScimChange }> {
    const at = this.now();
    return this.knex.transaction(async tx => {
      const row = await tx('scim_conflicts')
        .where({ idp, resource_id: resourceId })
        .first();
      if (!row) {
        throw ScimError.notFound(
          `No conflict of ${idp} record ${resourceId} to resolve`,
        );
      }
      const conflict = toConflict(row);
      await tx('scim_conflicts')
        .where({ idp, resource_id: resourceId })
        .delete();
      await tx('scim_claims')
        .insert({
          entity_ref: conflict.entityRef,
          idp,
          resource_type: conflict.resourceType,
          resource_id: resourceId,
          claimed_at: at,
          adopted_from: conflict.otherOrigin,
          adopted_by: adoptedBy,
        })
        .onConflict('entity_ref')
        .merge();
      await this.insertHistory(
        tx,
        {
          idp,
          resourceType: conflict.resourceType,
          resourceId,
          entityRef: conflict.entityRef,
          action: 'adopted',
          details: { from: conflict.otherOrigin, by: adoptedBy },
        },
        at,
      );
      // The record and everything that names it are emitted again.
      const groupIds: string[] = await this.groupIdsOf(tx, resourceId);
      const userIds: string[] = [];
      if (conflict.resourceType === 'User') {
        userIds.push(resourceId);
      } else {
        groupIds.push(resourceId);
        const members = (await this.loadMembers(tx, [resourceId])).get(
          resourceId,
        )!;
        userIds.push(
          ...members.filter(m => m.type === 'User').map(m => m.value),
        );
        groupIds.push(
          ...members.filter(m => m.type === 'Group').map(m => m.value),
        );
      }
      return { conflict, change: { userIds, groupIds, previousRefs: [] } };
    });
  }

  private async insertHistory(
    tx: Knex.Transaction,
    entry: Omit<ScimHistoryEntry, 'at' | 'conflict'>,
    at: string,
  ) {
    await tx('scim_history').insert({
      idp: entry.idp,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId,
      entity_ref: entry.entityRef,
      action: entry.action,
      at,
      details: entry.details ? JSON.stringify(entry.details) : null,
    });
  }
}
