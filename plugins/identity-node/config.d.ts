export interface Config {
  /**
   * The identity policy and the Identity page. This package reads the keys
   * below, which decide who is in which group; both the policy
   * (`plugin-permission-backend-module-identity-policy`) and the Identity
   * page's index (`plugin-identity-backend`) resolve memberships with them,
   * so the page shows exactly what the policy counts.
   */
  identityPolicy?: {
    /** How memberships are resolved from the catalog. */
    membership?: {
      /**
       * Levels of group nesting followed above a user's direct groups; 0
       * counts direct memberships only. Groups further up do not count, and
       * the Identity page shows them as not counted (`max-depth`).
       * Defaults to 10.
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
     * The sources of identity data, each a named set of origins. A
     * membership counts only when the entity declaring it (a user's
     * `spec.memberOf`, a group's `spec.parent`) is in the same directory as
     * the group, or in one listed in `grantsInto`; a group's own
     * `spec.members` and `spec.children` count whenever the group is in a
     * directory. Entities from origins in no directory declare nothing that
     * counts. Unset (with `trustedOrigins` unset too): every origin counts,
     * as one directory, and the backend warns at startup. Set either this
     * or `trustedOrigins`, not both.
     */
    directories?: Array<{
      /** The directory's name, shown on the Identity page: letters, digits, `.`, `:`, `_`, `-`. */
      name: string;
      /**
       * Its origins, matched against each entity's
       * `backstage.io/managed-by-origin-location`: a location type naming a
       * provider (`scim` matches every `scim:<idp>`), an exact origin
       * (`scim:entra`, `file:../../examples/org.yaml`,
       * `url:https://github.com/acme/org/blob/main/org.yaml`), or such an
       * origin ending in `*` to match a prefix. Relative `file:` paths are
       * resolved against the backend's working directory, as
       * `catalog.locations` are; a `file:` origin holding glob syntax
       * matches only that exact pattern. An origin in two directories
       * belongs to the first.
       */
      origins: string[];
      /**
       * Directories whose groups this directory's users and groups may join
       * (for instance an IdP that is the source of truth for who sits in
       * groups another directory defines). Defaults to none.
       */
      grantsInto?: string[];
    }>;

    /**
     * The older form of `directories`: origins whose User and Group entities
     * count for membership, in the same forms as `directories[].origins`.
     * Each entry is a directory of its own; a bare location type is one
     * directory per provider instance (`scim` gives `scim:entra`,
     * `scim:okta`), so two identity providers never grant into each other's
     * groups.
     */
    trustedOrigins?: string[];
  };
}
