import { Entity } from '@backstage/catalog-model';

/**
 * A Group entity's ref and version, as listed by
 * {@link MembershipSource.listGroupVersions}.
 */
export interface GroupVersion {
  /** The group's entity ref. */
  entityRef: string;
  /**
   * The entity's `metadata.etag`: it changes whenever the catalog changes
   * the entity. Without one the group is reloaded on every refresh.
   */
  etag?: string;
}

/**
 * Where the membership resolver reads User and Group entities from.
 */
export interface MembershipSource {
  /**
   * The ref and etag of every Group entity: a cheap listing that tells which
   * groups changed since the last refresh.
   */
  listGroupVersions(): Promise<GroupVersion[]>;
  /**
   * Group entities by ref, in the same order, `undefined` where there is
   * none; with at least `kind`, `metadata.name`, `metadata.namespace`,
   * `metadata.etag`, `metadata.annotations`, `spec.parent`, `spec.children`
   * and `spec.members`.
   */
  loadGroups(groupEntityRefs: string[]): Promise<Array<Entity | undefined>>;
  /**
   * User entities by ref, in the same order, `undefined` where there is none;
   * with at least `metadata.etag`, `metadata.annotations` and
   * `spec.memberOf`.
   */
  loadUsers(userEntityRefs: string[]): Promise<Array<Entity | undefined>>;
}
