/**
 * Test utilities: catalog entities of the demo organisation and a builder of
 * the entities a source emits, for the tests of every identity package.
 *
 * @packageDocumentation
 */

export { catalogFile } from './catalogFile';
export { catalogSource } from './catalogSource';
export type { CatalogSource, CatalogSourceGroupSpec } from './catalogSource';
export { DEMO_ORGANISATION_USERS, demoOrganisation } from './demoOrganisation';
