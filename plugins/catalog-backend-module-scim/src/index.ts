import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { catalogModuleScim } from './catalog/catalogModuleScim';
import { scimPlugin } from './scimPlugin';

export { scimPlugin } from './scimPlugin';
export { catalogModuleScim } from './catalog/catalogModuleScim';
export * from './catalog/annotations';
export {
  scimEntitySourceServiceRef,
  type ScimChangeEvent,
  type ScimEntityDelta,
  type ScimEntitySource,
  type ScimEntitySourceRegistry,
} from './catalog/scimEntitySourceServiceRef';
export type { HistoryEntry, ScimAction, ScimConflict } from './store/ScimStore';
export { scimConflictAdoptPermission, scimPermissions } from './permissions';

/**
 * Installs both halves of SCIM provisioning: the `scim` backend plugin (the
 * SCIM API and its store) and the catalog module that emits the entities.
 */
export default createBackendFeatureLoader({
  loader() {
    return [scimPlugin, catalogModuleScim];
  },
});
