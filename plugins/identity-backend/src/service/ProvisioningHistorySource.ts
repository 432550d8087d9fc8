import { IdentityProvisioning } from '@identity-governance/plugin-identity-common';
import { StoredUser } from '../store/IdentityStore';

/**
 * Where a user's provisioning history comes from. The default reads the SCIM
 * module's annotations; a richer source (the SCIM store's own records) can
 * replace it without touching the rest of the plugin.
 */
export interface ProvisioningHistorySource {
  getProvisioning(user: StoredUser): Promise<IdentityProvisioning | undefined>;
}
