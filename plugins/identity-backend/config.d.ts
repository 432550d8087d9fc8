import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * The Identity page's backend (`/api/identity`).
   */
  identity?: {
    /**
     * How the index of users and groups follows the catalog.
     */
    refresh?: {
      /**
       * How often the index is brought up to date with the catalog: a
       * duration object (`{ seconds: 10 }`), an ISO 8601 duration (`PT10S`)
       * or a short form (`10s`). Default 10 seconds; at least 1 second. The page can be
       * this far behind the catalog, plus the time one refresh takes.
       */
      interval?: HumanDuration | string;
      /**
       * How long one refresh may run before the scheduler gives up on it.
       * Default 2 minutes.
       */
      timeout?: HumanDuration | string;
      /**
       * How long without a refresh that finished before the page says its
       * data is stale (a banner with the time of the data and the last
       * error) instead of showing it as current: the catalog unreachable,
       * say, or every replica's refreshes failing. A refresh that fails
       * makes it stale at once. Longer than `interval`; default 5 minutes.
       * A duration object (`{ minutes: 5 }`), an ISO 8601 duration
       * (`PT5M`) or a short form (`5m`).
       */
      staleAfter?: HumanDuration | string;
      /**
       * The largest share of time the index may spend finding out what
       * changed. Every refresh lists the version of each User and Group
       * entity, whether anything changed or not, and that scan grows with
       * the catalog (about 3 s at 55,000 entities on PostgreSQL, 2 cores, in bench/identity)
       * while `interval` does not. A refresh therefore waits, beyond
       * `interval`, until the last one started at least its scan time
       * divided by this share ago: with the default 0.25, a 3 s scan means
       * a refresh every 12 s or so, and scanning takes at most a quarter of
       * the time. Refreshes asked for through this API (offboarding, refresh)
       * run at once. More than 0 and at most 1 (1: every `interval`, however
       * long the scan takes). The scan pauses after each page of the listing
       * as long as the page took, so that requests arriving meanwhile wait
       * for one page at most; the scan time here is the pages' time without
       * those pauses. The page can be up to `interval`, or the scan time
       * divided by this share if longer, plus one refresh run (pauses
       * included) behind the catalog.
       */
      maxScanShare?: number;
    };
    /**
     * Paging of the users and group members listings.
     */
    pageSize?: {
      /**
       * Items per page when the request names no `limit`. Default 50; at
       * least 1 and at most `identity.pageSize.max`.
       */
      default?: number;
      /**
       * The largest `limit` a request may ask for. Default 500; between 1
       * and 5000.
       */
      max?: number;
    };
    /**
     * Users provisioned by the scim plugin
     * (`@identity-governance/plugin-scim-backend`, plugin id `scim`), which
     * this backend reaches over HTTP through discovery, with the typed
     * client of `@identity-governance/plugin-scim-node`.
     */
    scim?: {
      /**
       * Whether to use the scim plugin. When true (the default), offboarding
       * a SCIM-provisioned user deactivates it in the scim plugin, so that it
       * stays gone, and the user detail shows the history the scim plugin
       * recorded. When false, offboarding such a user answers 501 (deleting
       * the entity would not stick) and the detail shows the entity's
       * annotations only.
       */
      enabled?: boolean;
    };
    /**
     * Access review campaigns (`/api/identity/reviews`).
     */
    reviews?: {
      /**
       * The most items (one per person and access) a campaign may freeze
       * when it starts. A scope that covers more is refused with 400 and
       * must be narrowed: the snapshot is written in one transaction and a
       * campaign of hundreds of thousands of items is no review anyone
       * completes. Default 50,000; between 1 and 1,000,000.
       */
      maxItems?: number;
      /**
       * How long before a campaign's due date its reviewers with undecided
       * items are reminded, through Backstage notifications (once per
       * campaign, whichever replica runs the check, which runs every 15
       * minutes). A duration object (`{ days: 2 }`) or an ISO 8601 or
       * human string (`P2D`, `2 days`). Default 2 days; at least 1 minute.
       */
      reminderBefore?: HumanDuration | string;
    };
  };
}
