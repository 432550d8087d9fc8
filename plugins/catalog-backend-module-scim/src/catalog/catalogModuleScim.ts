import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readScimConfig } from '../config/ScimConfig';
import { ScimEntityProvider } from './ScimEntityProvider';
import { scimEntitySourceServiceRef } from './scimEntitySourceServiceRef';

/**
 * The catalog side of SCIM provisioning: an entity provider fed by the scim
 * plugin through {@link scimEntitySourceServiceRef}.
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
        registry: scimEntitySourceServiceRef,
      },
      async init({ catalog, config, logger, scheduler, registry }) {
        const scimConfig = readScimConfig(config);
        if (!scimConfig.enabled) {
          return;
        }
        catalog.addEntityProvider(
          new ScimEntityProvider(
            registry,
            scheduler.createScheduledTaskRunner(scimConfig.schedule),
            logger,
          ),
        );
      },
    });
  },
});
