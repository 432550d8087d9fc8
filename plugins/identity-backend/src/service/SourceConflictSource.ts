import { IdentitySourceConflict } from '@identity-governance/plugin-identity-common';

/**
 * Where the records held back as source conflicts come from: the SCIM
 * module, through `ScimPluginClient`. Without SCIM there are none.
 */
export interface SourceConflictSource {
  /**
   * Every conflict. Throws ServiceUnavailableError when the SCIM module
   * cannot be read; answers [] when it is not installed.
   */
  listConflicts(): Promise<IdentitySourceConflict[]>;
}
