import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  parseGroupEntity,
  parseUserEntity,
} from '@identity-governance/plugin-identity-node';
import { SCIM_ANNOTATION_PREFIX } from '@identity-governance/plugin-scim-node';
import {
  IndexedGroupWithDeclarations,
  IndexedUser,
} from '../store/IdentityStore';
import { deriveSource, isProviderAnnotation } from './deriveSource';
import { entityVersionTag } from './entityVersionTag';

const PROCESSING_ERROR_TYPE = 'backstage.io/catalog-processing';

/** Lower-cased, as the catalog stores refs in relations. */
export function entityRefOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

function processingErrors(entity: Entity): IndexedUser['details']['errors'] {
  const status = (entity as { status?: { items?: unknown[] } }).status;
  const items = (status?.items ?? []) as Array<Record<string, any>>;
  return items
    .filter(i => i.type === PROCESSING_ERROR_TYPE || i.level === 'error')
    .map(i => ({
      type: stringField(i.type),
      level: stringField(i.level),
      message: String(i.message ?? ''),
      error:
        i.error && typeof i.error === 'object'
          ? {
              name: stringField(i.error.name),
              message: stringField(i.error.message),
            }
          : undefined,
    }));
}

/** What the index keeps of a User entity. */
export function toIndexedUser(entity: Entity): IndexedUser {
  const annotations = entity.metadata.annotations ?? {};
  const profile = (entity.spec?.profile ?? {}) as Record<string, unknown>;
  const errors = processingErrors(entity);
  const scimManaged = Object.keys(annotations).some(k =>
    k.startsWith(`${SCIM_ANNOTATION_PREFIX}/`),
  );
  const user: IndexedUser = {
    entityRef: entityRefOf(entity),
    uid: entity.metadata.uid,
    etag: entityVersionTag(entity),
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
    displayName:
      stringField(profile.displayName) ?? stringField(entity.metadata.title),
    email: stringField(profile.email),
    source: deriveSource(entity),
    managedByLocation: annotations['backstage.io/managed-by-location'],
    originLocation: annotations['backstage.io/managed-by-origin-location'],
    orphaned: annotations['backstage.io/orphan'] === 'true',
    processingErrors: errors.length > 0,
    // The SCIM catalog module emits active users only: a deactivated one
    // leaves the catalog, and when it was deactivated is in the scim plugin's
    // history (ScimPortalSource), so no entity the index reads is deactivated.
    deactivated: false,
    scimManaged,
    declarations: parseUserEntity(entity),
    details: {
      annotations: Object.fromEntries(
        Object.entries(annotations).filter(([k]) => isProviderAnnotation(k)),
      ),
      errors,
    },
  };
  return user;
}

/**
 * What the index keeps of a Group entity, but its parent and child refs:
 * those are the edges that count, which the indexer takes from the engine's
 * graph of every group.
 */
export function toIndexedGroup(
  entity: Entity,
): Omit<IndexedGroupWithDeclarations, 'parentRefs' | 'childRefs'> | undefined {
  const declarations = parseGroupEntity(entity);
  if (!declarations) {
    return undefined;
  }
  const annotations = entity.metadata.annotations ?? {};
  const profile = (entity.spec?.profile ?? {}) as Record<string, unknown>;
  return {
    entityRef: entityRefOf(entity),
    etag: entityVersionTag(entity),
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
    displayName:
      stringField(profile.displayName) ?? stringField(entity.metadata.title),
    source: deriveSource(entity),
    managedByLocation: annotations['backstage.io/managed-by-location'],
    declarations,
  };
}
