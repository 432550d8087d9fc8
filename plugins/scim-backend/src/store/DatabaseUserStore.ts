import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { ScimError } from '../errors/ScimError';
import { userFilterTargets } from '../filter/filterTargets';
import { listResources } from './listResources';
import { groupIdsOf, loadUserGroups, reportsOf } from './memberships';
import { recordHistory } from './recordHistory';
import { chunks, toUser } from './rows';
import {
  ListQuery,
  ListResult,
  ScimUserStore,
  StoredUser,
  UserChange,
  UserWrite,
} from './ScimStore';
import { StoreContext } from './StoreContext';
import { userColumns, valueRows } from './userColumns';
import {
  lockResource,
  pickEntityName,
  withConflictRetry,
} from './writeSupport';

/** SCIM users, in `scim_users` and their filterable values in `scim_values`. */
export class DatabaseUserStore implements ScimUserStore {
  constructor(private readonly ctx: StoreContext) {}

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

  private async writeValues(
    tx: Knex.Transaction,
    id: string,
    resource: JsonObject,
    replace: boolean,
  ) {
    if (replace) {
      await tx('scim_values').where({ resource_id: id }).delete();
    }
    for (const rows of chunks(valueRows(id, resource))) {
      await tx('scim_values').insert(rows);
    }
  }

  async createUser(
    idp: string,
    id: string,
    write: UserWrite,
  ): Promise<UserChange> {
    const at = this.ctx.now();
    return withConflictRetry(() =>
      this.ctx.knex.transaction(async tx => {
        await this.assertUserNameFree(tx, idp, id, write.userName);
        const entityName = await pickEntityName(
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
        // A new id has no values yet, and no user can name it as manager:
        // ids are random UUIDs the service made for this request. Two round
        // trips fewer for every POST /Users (bench/RESULTS.md#capacity).
        await this.writeValues(tx, id, write.resource, false);
        await recordHistory(
          tx,
          {
            idp,
            resourceType: 'User',
            resourceId: id,
            entityRef: this.ctx.entityRefOf('User', idp, entityName),
            action: write.action,
            details: { userName: write.userName },
          },
          at,
        );
        const user = toUser(await tx('scim_users').where({ id }).first());
        user.groups = [];
        return {
          user,
          userIds: [id],
          groupIds: [],
          previousRefs: [],
        };
      }),
    );
  }

  async modifyUser(
    idp: string,
    id: string,
    modify: (current: StoredUser) => UserWrite,
  ): Promise<UserChange> {
    const at = this.ctx.now();
    return withConflictRetry(() =>
      this.ctx.knex.transaction(async tx => {
        const current = toUser(await lockResource(tx, 'scim_users', idp, id));
        await loadUserGroups(tx, [current]);
        const write = modify(current);
        await this.assertUserNameFree(tx, idp, id, write.userName);
        const entityName = await pickEntityName(
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
        await this.writeValues(tx, id, write.resource, true);
        const renamed = entityName !== current.entityName;
        await recordHistory(
          tx,
          {
            idp,
            resourceType: 'User',
            resourceId: id,
            entityRef: this.ctx.entityRefOf('User', idp, entityName),
            action: write.action,
            details:
              renamed || write.details
                ? {
                    ...write.details,
                    ...(renamed ? { renamedFrom: current.entityName } : {}),
                  }
                : undefined,
          },
          at,
        );
        const user = toUser(await tx('scim_users').where({ id }).first());
        user.groups = current.groups;
        // Reports name the manager by ref, and only an active one.
        const reports =
          renamed || user.active !== current.active
            ? await reportsOf(tx, idp, id)
            : [];
        return {
          user,
          userIds: [id, ...reports],
          groupIds: current.groups!.map(g => g.value),
          previousRefs: [this.ctx.entityRefOf('User', idp, current.entityName)],
        };
      }),
    );
  }

  async deleteUser(
    idp: string,
    id: string,
    check: (current: StoredUser) => void,
  ): Promise<UserChange> {
    const at = this.ctx.now();
    return this.ctx.knex.transaction(async tx => {
      const current = toUser(await lockResource(tx, 'scim_users', idp, id));
      check(current);
      const groupIds = await groupIdsOf(tx, id);
      const reports = await reportsOf(tx, idp, id);
      await tx('scim_members').where({ member_id: id }).delete();
      await tx('scim_values').where({ resource_id: id }).delete();
      await tx('scim_users').where({ id }).delete();
      await tx('scim_conflicts').where({ idp, resource_id: id }).delete();
      const entityRef = this.ctx.entityRefOf('User', idp, current.entityName);
      await recordHistory(
        tx,
        {
          idp,
          resourceType: 'User',
          resourceId: id,
          entityRef,
          action: 'deleted',
        },
        at,
      );
      return {
        userIds: [id, ...reports],
        groupIds,
        previousRefs: [entityRef],
      };
    });
  }

  async getUser(idp: string, id: string): Promise<StoredUser | undefined> {
    const row = await this.ctx.knex('scim_users').where({ idp, id }).first();
    if (!row) {
      return undefined;
    }
    const user = toUser(row);
    await loadUserGroups(this.ctx.knex, [user]);
    return user;
  }

  async listUsers(
    idp: string,
    query: ListQuery,
  ): Promise<ListResult<StoredUser>> {
    const { total, rows } = await listResources(
      this.ctx.knex,
      'scim_users',
      idp,
      query,
      userFilterTargets,
    );
    const items = rows.map(toUser);
    await loadUserGroups(this.ctx.knex, items);
    return { totalResults: total, items };
  }
}
