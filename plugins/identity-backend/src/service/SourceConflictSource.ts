import { IdentitySourceConflict } from '@identity-governance/plugin-identity-common';

/**
 * Where the records held back as source conflicts come from: the scim
 * plugin, through `ScimPortalSource`. Without SCIM there are none.
 */
export interface SourceConflictSource {
  /**
   * Every conflict, or those over one entity ref. Throws
   * ServiceUnavailableError when the scim plugin cannot be read; answers []
   * when it is not installed.
   */
  listConflicts(filter?: {
    entityRef?: string;
  }): Promise<IdentitySourceConflict[]>;
}
