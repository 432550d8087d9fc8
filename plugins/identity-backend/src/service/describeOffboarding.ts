import { IdentityOffboardPreview } from '@identity-governance/plugin-identity-common';
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
    const idp =
      user.details.annotations['scim.identity-governance.io/idp'] ??
      'the identity provider';
    return {
      ...base,
      action: 'scimDeactivate',
      willReturn: false,
      supported: scimOffboardingAvailable,
      message: scimOffboardingAvailable
        ? `This record was provisioned over SCIM by ${idp}. Offboarding deactivates it in the SCIM module; it stays gone unless ${idp} provisions it again.`
        : `This record was provisioned over SCIM by ${idp}. Deleting the entity would not stick, and this backend has no SCIM offboarding installed: deactivate or unassign the user in ${idp}.`,
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
      message: `The location ${location} still emits this record: deleting it from the catalog lasts only until the next refresh of that location. Remove the user from ${location} to offboard for good.`,
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
