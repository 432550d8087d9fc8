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

    /**
     * How every decision on a guarded permission is recorded. `log` (the
     * default): one `info` line of the permission plugin's logger, message
     * `permission.policy-decision`, with the fields `user`, `permission`,
     * `resourceRef`, `result` and `reason`. `auditor`: one
     * `coreServices.auditor` event, `permission.policy-decision`, with the same
     * fields in `meta` and the authorize request's actor, routed with the
     * other plugins' audit events; it costs about twice as much per decision
     * (see the module's README, Figures).
     */
    decisionRecords?: 'log' | 'auditor';

    // membership, directories and trustedOrigins: the membership engine's
    // settings, read by the policy and the Identity page alike, are in
    // @identity-governance/plugin-identity-node's config.d.ts.
  };
}
