/**
 * The Identity backend plugin: users, groups, memberships and provenance
 * from the catalog, for the Identity page.
 *
 * @packageDocumentation
 */
export { identityPlugin as default } from './plugin';
