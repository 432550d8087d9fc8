import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProviderConnection,
  catalogLocationsExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';

/**
 * The origin of what the test directory emits: give it to its entities, as a
 * provider does (`catalogSource(DIRECTORY_ORIGIN)` from
 * `@identity-governance/plugin-identity-node/testUtils`).
 */
export const DIRECTORY_ORIGIN = 'test-directory:demo';

/**
 * A catalog module standing in for an identity provider (like SCIM or
 * msgraph): it emits entities and lets a test change them, the way an IdP
 * removes someone from a group. It also allows `file` locations to be
 * registered, so tests can register YAML files.
 */
export function createTestDirectoryModule(entities: Entity[]) {
  let connection: EntityProviderConnection | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>(resolve => {
    markReady = resolve;
  });
  const feature = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-directory',
    register(reg) {
      reg.registerInit({
        deps: {
          processing: catalogProcessingExtensionPoint,
          locations: catalogLocationsExtensionPoint,
        },
        async init({ processing, locations }) {
          locations.setAllowedLocationTypes(['url', 'file']);
          processing.addEntityProvider({
            getProviderName: () => 'test-directory',
            async connect(c) {
              connection = c;
              await c.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  entity,
                  locationKey: DIRECTORY_ORIGIN,
                })),
              });
              markReady();
            },
          });
        },
      });
    },
  });
  return {
    feature,
    ready,
    /** Replaces entities, as a delta mutation. */
    async update(...changed: Entity[]) {
      await connection!.applyMutation({
        type: 'delta',
        added: changed.map(entity => ({
          entity,
          locationKey: DIRECTORY_ORIGIN,
        })),
        removed: [],
      });
    },
  };
}
