/**
 * The prefix of the annotations on every entity the SCIM provider emits.
 *
 * @public
 */
export const SCIM_ANNOTATION_PREFIX = 'scim.identity-governance.io';

/**
 * Name of the identity provider (as configured) that provisioned the entity.
 *
 * @public
 */
export const ANNOTATION_SCIM_IDP = `${SCIM_ANNOTATION_PREFIX}/idp`;

/**
 * The SCIM `id` of the resource.
 *
 * @public
 */
export const ANNOTATION_SCIM_ID = `${SCIM_ANNOTATION_PREFIX}/id`;

/**
 * The IdP's own identifier (`externalId`), when it sent one.
 *
 * @public
 */
export const ANNOTATION_SCIM_EXTERNAL_ID = `${SCIM_ANNOTATION_PREFIX}/external-id`;

/**
 * The SCIM `userName` of a user.
 *
 * @public
 */
export const ANNOTATION_SCIM_USER_NAME = `${SCIM_ANNOTATION_PREFIX}/user-name`;

/**
 * When the resource was first provisioned (ISO 8601).
 *
 * @public
 */
export const ANNOTATION_SCIM_PROVISIONED_AT = `${SCIM_ANNOTATION_PREFIX}/provisioned-at`;

/**
 * When the resource last changed (ISO 8601).
 *
 * @public
 */
export const ANNOTATION_SCIM_UPDATED_AT = `${SCIM_ANNOTATION_PREFIX}/updated-at`;

/**
 * The user's manager, from the enterprise extension's `manager`: the entity
 * ref (`user:<namespace>/<name>`) of the user the same identity provider
 * provisioned with that SCIM id. Left out when the manager is not a user
 * this IdP emits (unknown id, deactivated, another IdP's, or held back
 * because another source owns the ref), so that an IdP can name only its
 * own users.
 *
 * @public
 */
export const ANNOTATION_SCIM_MANAGER = `${SCIM_ANNOTATION_PREFIX}/manager`;

/**
 * The location type of SCIM entities: their `backstage.io/managed-by-location`
 * and origin location are `scim:<idp>`.
 */
export const SCIM_LOCATION_TYPE = 'scim';

/**
 * The location of the entities an identity provider provisioned
 * (`scim:<idp>`): their managed-by and origin location, and the location key
 * of the catalog mutations that emit them.
 *
 * @public
 */
export function scimLocationOf(idp: string): string {
  return `${SCIM_LOCATION_TYPE}:${idp}`;
}
