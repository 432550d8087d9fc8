/** Annotations put on every entity the SCIM provider emits. */
export const SCIM_ANNOTATION_PREFIX = 'scim.identity-governance.io';
/** Name of the identity provider (as configured) that provisioned it. */
export const ANNOTATION_SCIM_IDP = `${SCIM_ANNOTATION_PREFIX}/idp`;
/** The SCIM `id` of the resource. */
export const ANNOTATION_SCIM_ID = `${SCIM_ANNOTATION_PREFIX}/id`;
/** The IdP's own identifier (`externalId`), when it sent one. */
export const ANNOTATION_SCIM_EXTERNAL_ID = `${SCIM_ANNOTATION_PREFIX}/external-id`;
/** The SCIM `userName` of a user. */
export const ANNOTATION_SCIM_USER_NAME = `${SCIM_ANNOTATION_PREFIX}/user-name`;
/** When the resource was first provisioned (ISO 8601). */
export const ANNOTATION_SCIM_PROVISIONED_AT = `${SCIM_ANNOTATION_PREFIX}/provisioned-at`;
/** When the resource last changed (ISO 8601). */
export const ANNOTATION_SCIM_UPDATED_AT = `${SCIM_ANNOTATION_PREFIX}/updated-at`;
/** Location value prefix: `scim:<idp>`. */
export const SCIM_LOCATION_TYPE = 'scim';
