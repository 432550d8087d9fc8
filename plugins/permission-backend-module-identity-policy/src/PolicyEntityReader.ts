import { Entity } from '@backstage/catalog-model';

/**
 * Reads catalog entities for {@link IdentityPermissionPolicy.explain}, with
 * the policy's own credentials.
 *
 * @public
 */
export interface PolicyEntityReader {
  getEntityByRef(entityRef: string): Promise<Entity | undefined>;
}
