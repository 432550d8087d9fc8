import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /**
   * SCIM 2.0 provisioning. The scim plugin
   * (`@identity-governance/plugin-scim-backend`) reads the rest of this block.
   */
  scim?: {
    /**
     * Whether SCIM provisioning runs; when false, this module adds no entity
     * provider (and the scim plugin serves nothing). Defaults to true.
     */
    enabled?: boolean;
    /** The full reconciliation of the catalog with the SCIM store. */
    reconciliation?: {
      /**
       * When it runs, besides startup. Defaults to every 30 minutes.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
