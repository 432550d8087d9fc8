import { IdentitySourceConflict } from '@identity-governance/plugin-identity-common';
import { UncountedRow } from '../store/IdentityStore';

/**
 * Where the records held back as source conflicts come from: the scim
 * plugin, through `ScimPortalSource`. Without SCIM there are none.
 */
export interface SourceConflictSource {
  /**
   * Every conflict, those over one entity ref, or the held groups whose
   * members include the user at `memberRef`. Throws ServiceUnavailableError
   * when the scim plugin cannot be read; answers [] when it is not
   * installed.
   */
  listConflicts(filter?: {
    entityRef?: string;
    memberRef?: string;
  }): Promise<IdentitySourceConflict[]>;
  /**
   * Every membership a held SCIM group declares, as the memberships that do
   * not count (reason `conflict`) of the users its IdP emits. Throws
   * ServiceUnavailableError when the scim plugin cannot be read; answers []
   * when it is not installed.
   */
  listHeldMemberships(): Promise<UncountedRow[]>;
}
