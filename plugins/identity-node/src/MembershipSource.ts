import { Entity } from '@backstage/catalog-model';

/**
 * Where the membership resolver reads User and Group entities from.
 *
 * @public
 */
export interface MembershipSource {
  /**
   * Every Group entity, with at least `kind`, `metadata.name`,
   * `metadata.namespace`, `metadata.annotations`, `spec.parent`,
   * `spec.children` and `spec.members`.
   */
  loadGroups(): Promise<Entity[]>;
  /**
   * User entities by ref, in the same order, `undefined` where there is none;
   * with at least `metadata.annotations` and `spec.memberOf`.
   */
  loadUsers(userEntityRefs: string[]): Promise<Array<Entity | undefined>>;
}
