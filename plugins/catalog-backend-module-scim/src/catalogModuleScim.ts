import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { scimRecordSourceServiceRef } from '@identity-governance/plugin-scim-node';
import { readProviderConfig } from './readProviderConfig';
import {
  RECONCILIATION_TASK_ID,
  ScimEntityProvider,
} from './ScimEntityProvider';

/**
 * The catalog side of SCIM provisioning: an entity provider fed by the scim
 * plugin (`@identity-governance/plugin-scim-backend`, which must run in the
 * same backend) through `scimRecordSourceServiceRef`.
 *
 * @public
 */
export const catalogModuleScim = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'scim',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        registry: scimRecordSourceServiceRef,
      },
      async init({ catalog, config, logger, scheduler, registry }) {
        const { enabled, schedule } = readProviderConfig(config);
        if (!enabled) {
          return;
        }
        catalog.addEntityProvider(
          new ScimEntityProvider(
            registry,
            scheduler.createScheduledTaskRunner(schedule),
            logger,
            () => scheduler.triggerTask(RECONCILIATION_TASK_ID),
          ),
        );
      },
    });
  },
});
