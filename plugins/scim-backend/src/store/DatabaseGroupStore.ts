import { Knex } from 'knex';
import { ScimError } from '../errors/ScimError';
import { groupFilterTargets } from '../filter/filterTargets';
import { listResources } from './listResources';
import { groupIdsOf, loadMembers, writeMembers } from './memberships';
import { recordHistory } from './recordHistory';
import { str, toGroup } from './rows';
import {
  GroupChange,
  GroupWrite,
  ListQuery,
  ListResult,
  ScimGroupStore,
  StoredGroup,
} from './ScimStore';
import { StoreContext } from './StoreContext';
import {
  lockResource,
  pickEntityName,
  withConflictRetry,
} from './writeSupport';

/** SCIM groups, in `scim_groups`, and their members in `scim_members`. */
export class DatabaseGroupStore implements ScimGroupStore {
  constructor(private readonly ctx: StoreContext) {}

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

  private async membersOf(db: Knex | Knex.Transaction, id: string) {
    return (await loadMembers(db, [id])).get(id)!;
  }

  async createGroup(
    idp: string,
    id: string,
    write: GroupWrite,
  ): Promise<GroupChange> {
    const at = this.ctx.now();
    return withConflictRetry(() =>
      this.ctx.knex.transaction(async tx => {
        await this.assertDisplayNameFree(tx, idp, id, write.displayName);
        const entityName = await pickEntityName(
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
        const { added } = await writeMembers(tx, idp, id, [], write.memberIds);
        await recordHistory(
          tx,
          {
            idp,
            resourceType: 'Group',
            resourceId: id,
            entityRef: this.ctx.entityRefOf('Group', idp, entityName),
            action: write.action,
            details: { displayName: write.displayName },
          },
          at,
        );
        const group = toGroup(await tx('scim_groups').where({ id }).first());
        group.members = await this.membersOf(tx, id);
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
    const at = this.ctx.now();
    return withConflictRetry(() =>
      this.ctx.knex.transaction(async tx => {
        const current = toGroup(await lockResource(tx, 'scim_groups', idp, id));
        current.members = await this.membersOf(tx, id);
        const write = modify(current);
        await this.assertDisplayNameFree(tx, idp, id, write.displayName);
        const entityName = await pickEntityName(
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
        const { added, removed } = await writeMembers(
          tx,
          idp,
          id,
          current.members.map(m => m.value),
          write.memberIds,
        );
        const renamed = entityName !== current.entityName;
        await recordHistory(
          tx,
          {
            idp,
            resourceType: 'Group',
            resourceId: id,
            entityRef: this.ctx.entityRefOf('Group', idp, entityName),
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
        group.members = await this.membersOf(tx, id);
        // A rename changes the memberOf of every member; otherwise only the
        // members that came and went need to be re-emitted.
        const touched = renamed
          ? [...current.members, ...added]
          : [
              ...added,
              ...current.members.filter(m => removed.includes(m.value)),
            ];
        return {
          group,
          groupIds: [
            id,
            ...(await groupIdsOf(tx, id)),
            ...touched.filter(m => m.type === 'Group').map(m => m.value),
          ],
          userIds: touched.filter(m => m.type === 'User').map(m => m.value),
          previousRefs: [
            this.ctx.entityRefOf('Group', idp, current.entityName),
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
    const at = this.ctx.now();
    return this.ctx.knex.transaction(async tx => {
      const current = toGroup(await lockResource(tx, 'scim_groups', idp, id));
      check(current);
      const members = await this.membersOf(tx, id);
      const parents = await groupIdsOf(tx, id);
      await tx('scim_members').where({ group_id: id }).delete();
      await tx('scim_members').where({ member_id: id }).delete();
      await tx('scim_groups').where({ id }).delete();
      await tx('scim_conflicts').where({ idp, resource_id: id }).delete();
      const entityRef = this.ctx.entityRefOf('Group', idp, current.entityName);
      await recordHistory(
        tx,
        {
          idp,
          resourceType: 'Group',
          resourceId: id,
          entityRef,
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
        previousRefs: [entityRef],
      };
    });
  }

  async getGroup(
    idp: string,
    id: string,
    options?: { members?: boolean },
  ): Promise<StoredGroup | undefined> {
    const row = await this.ctx.knex('scim_groups').where({ idp, id }).first();
    if (!row) {
      return undefined;
    }
    const group = toGroup(row);
    if (options?.members !== false) {
      group.members = await this.membersOf(this.ctx.knex, id);
    }
    return group;
  }

  async listGroups(
    idp: string,
    query: ListQuery & { members?: boolean },
  ): Promise<ListResult<StoredGroup>> {
    const { total, rows } = await listResources(
      this.ctx.knex,
      'scim_groups',
      idp,
      query,
      groupFilterTargets,
    );
    const items = rows.map(toGroup);
    if (query.members !== false && items.length) {
      const members = await loadMembers(
        this.ctx.knex,
        items.map(g => g.id),
      );
      items.forEach(g => {
        g.members = members.get(g.id);
      });
    }
    return { totalResults: total, items };
  }
}
