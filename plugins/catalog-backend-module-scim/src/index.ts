/**
 * A catalog module that emits the users and groups provisioned over SCIM by
 * the scim plugin (`@identity-governance/plugin-scim-backend`).
 *
 * @packageDocumentation
 */

export { catalogModuleScim as default } from './catalogModuleScim';
