import { Entity } from '@backstage/catalog-model';

/**
 * What tells whether an entity changed. The catalog's etag is a hash of the
 * final entity, relations, status and orphan mark included; the uid joins it
 * so that a deleted and re-created entity with the same content is read again.
 */
export function entityVersionTag(entity: Entity): string {
  return `${entity.metadata.uid ?? ''}:${entity.metadata.etag ?? ''}`;
}
