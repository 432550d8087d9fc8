import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';

/** What the catalog module reads of the `scim` block; see config.d.ts. */
export interface ScimProviderConfig {
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 5 },
};

export function readProviderConfig(
  config: RootConfigService,
): ScimProviderConfig {
  const scim = config.getOptionalConfig('scim');
  return {
    enabled: scim?.getOptionalBoolean('enabled') ?? true,
    schedule: scim?.has('reconciliation.schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          scim.getConfig('reconciliation.schedule'),
        )
      : DEFAULT_SCHEDULE,
  };
}
