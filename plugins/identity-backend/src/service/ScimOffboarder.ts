import { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * Deactivates a SCIM-provisioned user in the SCIM module, so that the record
 * stays gone. Without one, offboarding a SCIM record answers 501: deleting the
 * entity would not stick, because the SCIM provider emits it again.
 */
export interface ScimOffboarder {
  deactivate(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void>;
}
