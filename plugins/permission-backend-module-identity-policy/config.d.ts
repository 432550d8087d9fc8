export interface Config {
  /**
   * The identity permission policy: who may run destructive catalog
   * operations and use the Identity page. Read once at startup; an invalid
   * value stops the backend with a message naming the key.
   */
  identityPolicy?: {
    /**
     * Groups whose members, direct or through nested groups, may do
     * everything. Full entity refs, for example `group:default/platform-admins`.
     */
    adminGroups?: string[];

    /**
     * Permission names that only admins and matching rules may use. Setting it
     * replaces the default list: `catalog.entity.delete`,
     * `catalog.entity.refresh`, `catalog.entity.create`,
     * `catalog.location.create`, `catalog.location.delete`,
     * `catalog.ingestion.manage`, `identity.read` and `identity.user.offboard`.
     */
    guardedPermissions?: string[];

    /**
     * The decision for signed-in users on permissions that are not guarded and
     * that no rule grants. Unauthenticated callers are always denied.
     * Defaults to `allow`.
     */
    defaultDecision?: 'allow' | 'deny';

    /**
     * Grants beyond the admin groups. A rule applies to a permission when every
     * matcher it sets (`permission`, `action`, `resourceType`) matches; it then
     * allows the listed groups and, with `allowOwners`, the owners of the
     * catalog entity.
     */
    rules?: Array<{
      /** A permission name, for example `catalog.entity.refresh`. */
      permission?: string;
      /** A permission action. */
      action?: 'create' | 'read' | 'update' | 'delete';
      /** A resource type, for example `catalog-entity`. */
      resourceType?: string;
      /**
       * Groups whose members (direct or nested) are allowed, as full entity
       * refs such as `group:default/sre`.
       */
      allowGroups?: string[];
      /**
       * Also allow the owners of the catalog entity the permission is about:
       * the user, or a group the user belongs to, is its `spec.owner`. Only for
       * `catalog-entity` resource permissions; answered with catalog
       * conditions, evaluated in the database or in memory.
       */
      allowOwners?: boolean;
    }>;

    /**
     * Permission names of other plugins that `guardedPermissions` and
     * `rules[].permission` may name. The catalog's and the identity plugins'
     * permissions are known already; any other name is rejected at startup
     * unless listed here, so a typo cannot silently guard nothing.
     */
    knownPermissions?: string[];

    /** How memberships are resolved from the catalog. */
    membership?: {
      /**
       * Levels of group nesting followed above a user's direct groups; 0
       * counts direct memberships only. Defaults to 10.
       */
      maxDepth?: number;
      /**
       * How long resolved memberships are cached, in seconds: a membership
       * removed in the catalog stops counting within this window (plus the
       * catalog's own processing delay). Defaults to 5.
       */
      cacheTtlSeconds?: number;
      /**
       * How long a membership a user gains may take to grant access, in
       * seconds. To deny, the policy may use the user's entity and the group
       * graph up to this old; a grant stands only once every edge of its
       * membership path holds in entities at most `cacheTtlSeconds` old, so
       * removals still take effect within `cacheTtlSeconds`. At least
       * `cacheTtlSeconds`, at most 3600. Defaults to 60.
       */
      grantLatencySeconds?: number;
    };

    /**
     * Origins whose User and Group entities count for membership. A
     * membership declared by an entity from any other origin grants nothing.
     * Each entry is a location type naming a provider (`scim`, `msgraph`,
     * `ldap`), an exact origin location (`file:../../examples/org.yaml`,
     * `url:https://github.com/acme/org/blob/main/org.yaml`), or such an origin
     * ending in `*` to match a prefix. Matched against the
     * `backstage.io/managed-by-origin-location` annotation. Unset: every
     * origin counts, and the backend warns at startup.
     */
    trustedOrigins?: string[];
  };
}
