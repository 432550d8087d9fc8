import { IdentityProvisioning } from '@identity-governance/plugin-identity-common';
import {
  ANNOTATION_SCIM_EXTERNAL_ID,
  ANNOTATION_SCIM_ID,
  ANNOTATION_SCIM_IDP,
  ANNOTATION_SCIM_PROVISIONED_AT,
  ANNOTATION_SCIM_UPDATED_AT,
  ANNOTATION_SCIM_USER_NAME,
} from '@identity-governance/plugin-scim-node';
import { StoredUser } from '../store/IdentityStore';
import { ProvisioningHistorySource } from './ProvisioningHistorySource';

/**
 * Reads the provisioning annotations the SCIM catalog module puts on every
 * entity it emits. It emits active users only (a deactivated user leaves the
 * catalog), so a SCIM entity in the catalog is active; when and by whom it
 * was deactivated is in the scim plugin's history, not in annotations.
 */
export class ScimAnnotationProvisioningSource
  implements ProvisioningHistorySource
{
  async getProvisioning(
    user: StoredUser,
  ): Promise<IdentityProvisioning | undefined> {
    if (!user.scimManaged) {
      return undefined;
    }
    const a = (key: string): string | undefined =>
      user.details.annotations[key];
    return {
      idp: a(ANNOTATION_SCIM_IDP),
      scimId: a(ANNOTATION_SCIM_ID),
      externalId: a(ANNOTATION_SCIM_EXTERNAL_ID),
      userName: a(ANNOTATION_SCIM_USER_NAME),
      provisionedAt: a(ANNOTATION_SCIM_PROVISIONED_AT),
      updatedAt: a(ANNOTATION_SCIM_UPDATED_AT),
      active: !user.deactivated,
    };
  }
}
