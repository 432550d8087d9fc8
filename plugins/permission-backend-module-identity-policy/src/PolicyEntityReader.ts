import { Entity } from '@backstage/catalog-model';

/**
 * Reads catalog entities for {@link IdentityPermissionPolicy.explain}, with
 * the policy's own credentials.
 *
 * @public
 */
export interface PolicyEntityReader {
  /** The entity, or undefined when the catalog has none by that ref. */
  getEntityByRef(entityRef: string): Promise<Entity | undefined>;
}
