import { IdentityOffboardPreview } from '@identity-governance/plugin-identity-common';
import {
  ANNOTATION_SCIM_ID,
  ANNOTATION_SCIM_IDP,
} from '@identity-governance/plugin-scim-node';
import { StoredUser } from '../store/IdentityStore';

const providerNames: Record<string, string> = {
  msgraph: 'Microsoft Graph',
  okta: 'Okta',
  ldap: 'LDAP',
  github: 'GitHub',
};

/** Says what offboarding this user will do, before anything is done. */
export function describeOffboarding(
  user: StoredUser,
  scimOffboardingAvailable: boolean,
): IdentityOffboardPreview {
  const base = {
    entityRef: user.entityRef,
    source: user.source,
    managedByLocation: user.managedByLocation,
    originLocation: user.originLocation,
  };
  if (user.scimManaged) {
    const idpAnnotation = user.details.annotations[ANNOTATION_SCIM_IDP];
    const scimId = user.details.annotations[ANNOTATION_SCIM_ID];
    const idp = idpAnnotation ?? 'the identity provider';
    const scim = {
      ...base,
      action: 'scimDeactivate' as const,
      willReturn: false,
    };
    if (!scimOffboardingAvailable) {
      return {
        ...scim,
        supported: false,
        message: `This record was provisioned over SCIM by ${idp}. Deleting the entity would not stick, and SCIM offboarding is off in this backend (identity.scim.enabled is false): deactivate or unassign the user in ${idp}.`,
      };
    }
    if (!idpAnnotation || !scimId) {
      return {
        ...scim,
        supported: false,
        message: `This record carries SCIM annotations but not the ${ANNOTATION_SCIM_IDP} and ${ANNOTATION_SCIM_ID} that name it in the SCIM plugin, so it cannot be deactivated there. Deleting the entity would not stick: deactivate or unassign the user in ${idp}.`,
      };
    }
    return {
      ...scim,
      supported: true,
      message: `This record was provisioned over SCIM by ${idp}. Offboarding deactivates it in the SCIM plugin: the entity leaves the catalog and stays gone unless ${idp} provisions or reactivates the user again. Unassign the user in ${idp} too.`,
    };
  }
  const location = user.managedByLocation ?? 'an unknown location';
  if (user.orphaned) {
    return {
      ...base,
      action: 'delete',
      willReturn: false,
      supported: true,
      message: `No location emits this record any more (it is orphaned; it was last managed by ${location}). Deleting it from the catalog removes it for good.`,
    };
  }
  if (user.source === 'file' || user.source === 'url') {
    return {
      ...base,
      action: 'delete',
      willReturn: true,
      supported: true,
      // The catalog reprocesses the parent of a deleted entity at once, so
      // a record its location still emits is back within seconds.
      message: `The location ${location} still emits this record: the catalog processes that location again right after a deletion, so the record comes back within seconds. Remove the user from ${location} to offboard for good.`,
    };
  }
  const provider = providerNames[user.source];
  return {
    ...base,
    action: 'delete',
    willReturn: true,
    supported: true,
    message: provider
      ? `The ${provider} provider (${location}) still emits this record: it comes back at the provider's next run. Remove or disable the user in ${provider} to offboard for good.`
      : `${location} still emits this record: it will come back at its next refresh. Remove the user at the source to offboard for good.`,
  };
}
