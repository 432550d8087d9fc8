/** What deactivating a SCIM-provisioned user takes. */
export interface ScimDeactivationRequest {
  /** The catalog entity, for messages. */
  entityRef: string;
  /** The identity provider that owns the record (annotation `.../idp`). */
  idp: string;
  /** The SCIM `id` of the resource (annotation `.../id`). */
  scimId: string;
  /**
   * Who asked, recorded in the scim plugin's history: the user's entity ref,
   * or the calling service's subject.
   */
  requestedBy?: string;
}

/**
 * Deactivates a SCIM-provisioned user in the scim plugin, so that the record
 * stays gone. Without one, offboarding a SCIM record answers 501: deleting the
 * entity would not stick, because the SCIM provider emits it again.
 *
 * Implementations throw `@backstage/errors` errors: `NotFoundError` when the
 * scim plugin has no such user, `NotAllowedError` when it refuses,
 * `NotImplementedError` when it is not installed.
 */
export interface ScimOffboarder {
  deactivate(request: ScimDeactivationRequest): Promise<void>;
}
