import { stringifyEntityRef } from '@backstage/catalog-model';
import { DeferredEntity } from '@backstage/plugin-catalog-node';
import {
  ScimChangeEvent,
  ScimRecordSet,
  scimLocationOf,
} from '@identity-governance/plugin-scim-node';
import { buildEntities } from './buildEntities';

/** A delta mutation of the catalog. */
export interface ScimEntityDelta {
  added: DeferredEntity[];
  removed: { entityRef: string; locationKey: string }[];
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The catalog changes that follow from SCIM changes, given the records they
 * touched: those records' entities are emitted again, and every ref they may
 * have emitted before (a deleted or renamed record's, a record now withheld)
 * is removed unless it is emitted again. Removing a ref that another source
 * emits is a no-op: the catalog removes only what this provider emitted.
 */
export function buildDelta(
  records: ScimRecordSet,
  changes: ScimChangeEvent[],
): ScimEntityDelta {
  const added = buildEntities(records);
  const emitted = new Set(added.map(a => lower(stringifyEntityRef(a.entity))));
  const removed = new Map<string, { entityRef: string; locationKey: string }>();
  const candidates = [
    ...changes.flatMap(c =>
      c.previousRefs.map(entityRef => ({ entityRef, idp: c.idp })),
    ),
    ...records.withheld,
  ];
  for (const { entityRef, idp } of candidates) {
    if (!emitted.has(lower(entityRef)) && !removed.has(entityRef)) {
      removed.set(entityRef, { entityRef, locationKey: scimLocationOf(idp) });
    }
  }
  return { added, removed: [...removed.values()] };
}
