import {
  ScimConflict,
  ScimHeldMembership,
} from '@identity-governance/plugin-scim-node';
import { ScimError } from '../errors/ScimError';
import { groupIdsOf, loadMembers } from './memberships';
import { recordHistory } from './recordHistory';
import { chunks, toClaim, toConflict } from './rows';
import {
  OwnershipWrites,
  ScimChange,
  ScimClaim,
  ScimOwnershipStore,
} from './ScimStore';
import { StoreContext } from './StoreContext';

/**
 * Who owns which entity ref: the claims of SCIM IdPs (`scim_claims`) and the
 * records held back as conflicts (`scim_conflicts`).
 */
export class DatabaseOwnershipStore implements ScimOwnershipStore {
  constructor(private readonly ctx: StoreContext) {}

  async readOwnership(query: {
    entityRefs: string[];
    resourceIds: string[];
  }): Promise<{ claims: ScimClaim[]; conflicts: ScimConflict[] }> {
    const { knex } = this.ctx;
    const claims: ScimClaim[] = [];
    const conflicts: ScimConflict[] = [];
    for (const refs of chunks([...new Set(query.entityRefs)])) {
      const rows = await knex('scim_claims').whereIn('entity_ref', refs);
      claims.push(...rows.map(toClaim));
    }
    for (const ids of chunks([...new Set(query.resourceIds)])) {
      const rows = await knex('scim_conflicts').whereIn('resource_id', ids);
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
    const at = this.ctx.now();
    await this.ctx.knex.transaction(async tx => {
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
      for (const event of writes.history) {
        await recordHistory(tx, event, at);
      }
    });
  }

  async listConflicts(filter?: {
    entityRef?: string;
    memberRef?: string;
  }): Promise<ScimConflict[]> {
    const query = this.ctx.knex('scim_conflicts as c').select('c.*');
    if (filter?.entityRef !== undefined) {
      // Stored lower-cased, as entityRefOf makes them.
      query.where('c.entity_ref', filter.entityRef.toLocaleLowerCase('en-US'));
    }
    if (filter?.memberRef !== undefined) {
      // Held groups whose members include the record the IdP emits at
      // memberRef: memberships the IdP declared and nobody emits.
      query
        .where('c.resource_type', 'Group')
        .whereIn(
          'c.resource_id',
          this.ctx
            .knex('scim_members as m')
            .join('scim_claims as cl', 'cl.resource_id', 'm.member_id')
            .where('cl.entity_ref', filter.memberRef.toLocaleLowerCase('en-US'))
            .select('m.group_id'),
        );
    }
    const rows = await query.orderBy([
      'c.detected_at',
      'c.idp',
      'c.resource_id',
    ]);
    return rows.map(toConflict);
  }

  async listHeldMemberships(): Promise<ScimHeldMembership[]> {
    const rows = await this.ctx
      .knex('scim_conflicts as c')
      .join('scim_members as m', 'm.group_id', 'c.resource_id')
      .join('scim_claims as cl', 'cl.resource_id', 'm.member_id')
      .where('c.resource_type', 'Group')
      .select('c.*', 'cl.entity_ref as member_ref')
      .orderBy(['cl.entity_ref', 'c.entity_ref', 'c.idp', 'c.resource_id']);
    return rows.map(row => ({
      memberRef: row.member_ref,
      conflict: toConflict(row),
    }));
  }

  async adoptConflict(
    idp: string,
    resourceId: string,
    adoptedBy: string,
  ): Promise<{ conflict: ScimConflict; change: ScimChange }> {
    const at = this.ctx.now();
    return this.ctx.knex.transaction(async tx => {
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
      await recordHistory(
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
      const groupIds: string[] = await groupIdsOf(tx, resourceId);
      const userIds: string[] = [];
      if (conflict.resourceType === 'User') {
        userIds.push(resourceId);
      } else {
        groupIds.push(resourceId);
        const members = (await loadMembers(tx, [resourceId])).get(resourceId)!;
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
}
