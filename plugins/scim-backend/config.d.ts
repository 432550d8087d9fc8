export interface Config {
  /**
   * SCIM 2.0 provisioning: the scim plugin
   * (`@identity-governance/plugin-scim-backend`). The catalog module
   * (`@identity-governance/plugin-catalog-backend-module-scim`) reads
   * `enabled` and `reconciliation`.
   */
  scim?: {
    /**
     * Whether the SCIM endpoint and the entity provider run. When false, the
     * scim plugin serves no routes. Defaults to true.
     */
    enabled?: boolean;
    /**
     * Catalog namespace of the emitted User and Group entities, unless an
     * identity provider sets its own. Defaults to `default`.
     */
    namespace?: string;
    /** spec.type of the emitted Group entities. Defaults to `team`. */
    groupType?: string;
    /** How entity names are derived. */
    naming?: {
      /**
       * What a User entity's name is made from: `local-part` (the part of
       * userName before the last `@`, the default) or `user-name` (all of
       * it). Either way it is lower-cased and made a valid entity name;
       * collisions get a suffix taken from the SCIM id.
       */
      userName?: 'local-part' | 'user-name';
    };
    /**
     * The identity providers allowed to provision. Each authenticates with
     * its own bearer token, and every change is recorded with its name.
     */
    identityProviders?: Array<{
      /** Name of the IdP, recorded in provenance; letters, digits and `-`. */
      name: string;
      /**
       * The bearer token this IdP sends. An IdP without a token cannot
       * connect.
       * @visibility secret
       */
      token?: string;
      /** Catalog namespace for this IdP's entities. */
      namespace?: string;
      /** spec.type of this IdP's Group entities. */
      groupType?: string;
      /**
       * Sources whose users and groups this IdP may take over without an
       * admin: the migration path from file, LDAP or another provider to
       * SCIM. Each entry is either a location type (`file`, `url`, `ldap`,
       * `msgraph`, `scim`, ...), which names every origin of that type, or
       * a whole origin as in the entity's
       * `backstage.io/managed-by-origin-location` annotation
       * (`file:/org/people.yaml`, `scim:okta`).
       *
       * By default none: a record whose entity ref another source provides,
       * or provided before, is held back as a conflict (listed by
       * `GET /api/scim/conflicts`) until an admin adopts it. An adopted
       * ref is emitted, but the catalog keeps the other source's entity
       * while that source still provides it; memberships name it only
       * once the catalog's entity at the ref is this IdP's.
       */
      adoptFrom?: string[];
    }>;
  };
}
