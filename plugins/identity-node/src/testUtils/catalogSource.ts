import { Entity } from '@backstage/catalog-model';

/**
 * The spec of a Group built by {@link CatalogSource.group}: `type` defaults
 * to `team` and `children` to none.
 *
 * @public
 */
export interface CatalogSourceGroupSpec {
  /** `spec.type`; `team` when absent. */
  type?: string;
  /** `spec.parent`, an entity ref. */
  parent?: string;
  /** `spec.children`, entity refs. */
  children?: string[];
  /** `spec.members`, entity refs. */
  members?: string[];
  /** `spec.profile`. */
  profile?: { displayName?: string; email?: string };
}

/**
 * Builds the entities one source emits, in the default namespace.
 *
 * @public
 */
export interface CatalogSource {
  /** A User, a member of `memberOf` (group names or refs). */
  user(
    name: string,
    memberOf?: string[],
    profile?: { displayName?: string; email?: string },
  ): Entity;
  /** A Group. */
  group(name: string, spec?: CatalogSourceGroupSpec): Entity;
  /** A Component of type service owned by `owner` (an entity ref). */
  component(name: string, owner: string): Entity;
}

/**
 * The entities a source emits. Each carries the source's origin in
 * `backstage.io/managed-by-origin-location` and its location (the origin
 * unless given) in `backstage.io/managed-by-location`: the origin is what
 * decides which directory an entity is in, and so whether its memberships
 * count. Without either, the entities are as written in a catalog file, which
 * the catalog annotates when it reads them.
 *
 * @public
 */
export function catalogSource(
  origin?: string,
  options: { location?: string } = {},
): CatalogSource {
  const location = options.location ?? origin;
  const metadata = (name: string) => ({
    name,
    namespace: 'default',
    ...(location
      ? {
          annotations: {
            'backstage.io/managed-by-location': location,
            ...(origin
              ? { 'backstage.io/managed-by-origin-location': origin }
              : {}),
          },
        }
      : {}),
  });
  return {
    user: (name, memberOf = [], profile) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: metadata(name),
      spec: { ...(profile ? { profile } : {}), memberOf },
    }),
    group: (name, spec = {}) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: metadata(name),
      spec: { type: 'team', children: [], ...spec },
    }),
    component: (name, owner) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: metadata(name),
      spec: { type: 'service', lifecycle: 'production', owner },
    }),
  };
}
