/**
 * What the scim plugin shares with the catalog module and with other backend
 * plugins: the record source between the scim plugin and the catalog module,
 * the annotations of the entities it emits, and a client of its portal API.
 *
 * @packageDocumentation
 */

export {
  ANNOTATION_SCIM_EXTERNAL_ID,
  ANNOTATION_SCIM_ID,
  ANNOTATION_SCIM_IDP,
  ANNOTATION_SCIM_MANAGER,
  ANNOTATION_SCIM_PROVISIONED_AT,
  ANNOTATION_SCIM_UPDATED_AT,
  ANNOTATION_SCIM_USER_NAME,
  SCIM_ANNOTATION_PREFIX,
  scimLocationOf,
} from './annotations';
export type {
  ScimChangeEvent,
  ScimGroupRecord,
  ScimRecordBase,
  ScimRecordSet,
  ScimRecordSource,
  ScimUserRecord,
} from './ScimRecordSource';
export {
  scimRecordSourceServiceRef,
  type ScimRecordSourceRegistry,
} from './scimRecordSourceServiceRef';
export type {
  ScimAction,
  ScimAdoption,
  ScimConflict,
  ScimDeactivation,
  ScimHeldMembership,
  ScimHistoryEntry,
  ScimPortalApi,
  ScimResourceType,
} from './portal/ScimPortalApi';
export {
  ScimPortalClient,
  type ScimPortalClientOptions,
} from './portal/ScimPortalClient';
export { scimPortalServiceRef } from './portal/scimPortalServiceRef';
export {
  DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailableError,
} from './database/isDatabaseUnavailableError';
