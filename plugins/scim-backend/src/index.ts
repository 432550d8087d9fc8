/**
 * The scim backend plugin: a SCIM 2.0 service provider (RFC 7643/7644) under
 * `/api/scim/v2`, its store, provisioning history and source conflicts. The
 * catalog module `@identity-governance/plugin-catalog-backend-module-scim`
 * turns its records into catalog entities.
 *
 * @packageDocumentation
 */

export { scimPlugin as default } from './scimPlugin';
export { scimConflictAdoptPermission, scimPermissions } from './permissions';
