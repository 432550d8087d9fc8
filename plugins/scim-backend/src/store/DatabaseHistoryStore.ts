import {
  ScimAction,
  ScimConflict,
  ScimHistoryEntry,
} from '@identity-governance/plugin-scim-node';
import { Knex } from 'knex';
import { chunks, toConflict } from './rows';
import { ScimHistoryStore } from './ScimStore';

/**
 * Reads the provisioning history (`scim_history`), which the writes record
 * with `recordHistory`, with the conflict each record is held back by.
 */
export class DatabaseHistoryStore implements ScimHistoryStore {
  constructor(private readonly knex: Knex) {}

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
}
