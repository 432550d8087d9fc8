import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resolving a SCIM conflict in favour of the IdP: the SCIM record takes over
 * an entity ref another source provides or provided
 * (`POST /api/scim/conflicts/{idp}/{id}/adopt`).
 *
 * @remarks
 *
 * A basic permission: the contested entity may be gone from the catalog, so
 * there is no resource to check conditions against. Grant it to the people
 * who run the migration from file or LDAP ingestion to SCIM.
 *
 * @public
 */
export const scimConflictAdoptPermission = createPermission({
  name: 'scim.conflict.adopt',
  attributes: { action: 'update' },
});

/**
 * The permissions the scim plugin defines.
 *
 * @public
 */
export const scimPermissions = [scimConflictAdoptPermission];
