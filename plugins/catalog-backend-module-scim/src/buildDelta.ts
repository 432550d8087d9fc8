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

/**
 * A delta that replaces `previous`, which this provider applied from records
 * read earlier: every ref `previous` emitted and `next` does not is removed
 * too, so that a record deleted since that read is not left resurrected.
 */
export function supersede(
  previous: ScimEntityDelta,
  next: ScimEntityDelta,
): ScimEntityDelta {
  const emitted = new Set(
    next.added.map(a => lower(stringifyEntityRef(a.entity))),
  );
  const removed = new Map(next.removed.map(r => [lower(r.entityRef), r]));
  for (const { entity, locationKey } of previous.added) {
    const entityRef = stringifyEntityRef(entity);
    const key = lower(entityRef);
    if (!emitted.has(key) && !removed.has(key) && locationKey) {
      removed.set(key, { entityRef, locationKey });
    }
  }
  return { added: next.added, removed: [...removed.values()] };
}

/**
 * What a mutation would write, independent of the order records were read
 * in: equal keys mean the catalog would end up the same.
 */
export function mutationKey(
  entities: DeferredEntity[],
  removed: ScimEntityDelta['removed'] = [],
): string {
  return JSON.stringify([
    entities.map(e => JSON.stringify([e.locationKey, e.entity])).sort(),
    removed.map(r => `${r.locationKey} ${lower(r.entityRef)}`).sort(),
  ]);
}
