import { IdentityProvisioning } from '@identity-governance/plugin-identity-common';
import { StoredUser } from '../store/IdentityStore';

/**
 * Where a user's provisioning history comes from. `ScimPortalSource` merges
 * the scim plugin's recorded history into what the entity's annotations say
 * (`ScimAnnotationProvisioningSource`), which is used alone when
 * `identity.scim.enabled` is false.
 */
export interface ProvisioningHistorySource {
  getProvisioning(user: StoredUser): Promise<IdentityProvisioning | undefined>;
}
