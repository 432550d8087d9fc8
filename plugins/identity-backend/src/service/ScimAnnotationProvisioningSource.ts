import { IdentityProvisioning } from '@identity-governance/plugin-identity-common';
import { SCIM_ANNOTATION_PREFIX } from '../indexer/deriveSource';
import { StoredUser } from '../store/IdentityStore';
import { ProvisioningHistorySource } from './ProvisioningHistorySource';

/**
 * Reads `scim.identity-governance.io/*` annotations, which the SCIM module
 * puts on every entity it emits (idp, id, external-id, user-name,
 * provisioned-at, updated-at; active and deactivated-at are assumed).
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
    const a = (key: string) =>
      user.details.annotations[`${SCIM_ANNOTATION_PREFIX}${key}`];
    const active = a('active');
    return {
      idp: a('idp'),
      scimId: a('id'),
      externalId: a('external-id'),
      userName: a('user-name'),
      provisionedAt: a('provisioned-at'),
      updatedAt: a('updated-at'),
      deactivatedAt: a('deactivated-at'),
      active: active === undefined ? !user.deactivated : active !== 'false',
    };
  }
}
