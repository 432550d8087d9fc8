import { Knex } from 'knex';
import { HistoryEvent } from './ScimStore';

/**
 * Writes one provisioning history event, as part of the transaction of the
 * change it records. The one place that writes `scim_history`.
 */
export async function recordHistory(
  tx: Knex.Transaction,
  event: HistoryEvent,
  at: string,
): Promise<void> {
  await tx('scim_history').insert({
    idp: event.idp,
    resource_type: event.resourceType,
    resource_id: event.resourceId,
    entity_ref: event.entityRef,
    action: event.action,
    at,
    details: event.details ? JSON.stringify(event.details) : null,
  });
}
