import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotImplementedError,
  ServiceUnavailableError,
  isError,
} from '@backstage/errors';
import {
  IdentityProvisioning,
  IdentitySourceConflict,
} from '@identity-governance/plugin-identity-common';
import {
  ScimHistoryEntry,
  ScimPortalApi,
} from '@identity-governance/plugin-scim-node';
import { StoredUser, UncountedRow } from '../store/IdentityStore';
import { ProvisioningHistorySource } from './ProvisioningHistorySource';
import { ScimAnnotationProvisioningSource } from './ScimAnnotationProvisioningSource';
import { ScimDeactivationRequest, ScimOffboarder } from './ScimOffboarder';
import { SourceConflictSource } from './SourceConflictSource';

export interface ScimPortalSourceOptions {
  /** The scim plugin's portal API (scim-node's `scimPortalServiceRef`). */
  portal: ScimPortalApi;
  logger: LoggerService;
  /** What the history is merged into; defaults to the entity's annotations. */
  annotations?: ProvisioningHistorySource;
}

/** Whether the scim plugin is not installed in this backend. */
const notInstalled = (error: unknown) =>
  isError(error) && error.name === NotImplementedError.name;

const describe = (error: unknown) => (error as Error)?.message ?? error;

function toProvisioningEntry(entry: ScimHistoryEntry) {
  return {
    at: entry.at,
    action: entry.action,
    idp: entry.idp,
    ...(entry.details ? { details: entry.details } : {}),
    ...(entry.conflict ? { conflict: entry.conflict } : {}),
  };
}

/**
 * What the Identity API needs of the scim plugin, through its portal client:
 *
 * - offboarding: deactivates the user in the SCIM store, so the catalog
 *   entity goes away and stays gone until the IdP reactivates it;
 * - provisioning history, merged into what the entity's annotations say. The
 *   detail never fails for it: without the scim plugin, or when the call
 *   fails, it is the annotations alone;
 * - source conflicts: the SCIM records held back because another source
 *   provides or provided their entity ref. None without the scim plugin.
 */
export class ScimPortalSource
  implements ScimOffboarder, ProvisioningHistorySource, SourceConflictSource
{
  private readonly annotations: ProvisioningHistorySource;

  constructor(private readonly options: ScimPortalSourceOptions) {
    this.annotations =
      options.annotations ?? new ScimAnnotationProvisioningSource();
  }

  async deactivate(request: ScimDeactivationRequest): Promise<void> {
    const { idp, scimId, requestedBy } = request;
    try {
      await this.options.portal.deactivateUser({
        idp,
        id: scimId,
        requestedBy,
      });
    } catch (error) {
      if (notInstalled(error)) {
        throw new NotImplementedError(
          `${describe(
            error,
          )} Without it, SCIM records cannot be offboarded: install it (with scim.enabled), or set identity.scim.enabled to false.`,
        );
      }
      throw error;
    }
  }

  async getProvisioning(
    user: StoredUser,
  ): Promise<IdentityProvisioning | undefined> {
    const base = await this.annotations.getProvisioning(user);
    if (!base) {
      return undefined;
    }
    try {
      // The SCIM id names the resource exactly, across renames; the entity
      // ref may have belonged to another resource before.
      const history = await this.options.portal.getHistory(
        base.scimId
          ? { resourceId: base.scimId }
          : { entityRef: user.entityRef },
      );
      return {
        ...base,
        history: history
          .filter(entry => entry.resourceType === 'User')
          .map(toProvisioningEntry),
      };
    } catch (error) {
      if (notInstalled(error)) {
        this.options.logger.debug(
          `No scim plugin answers for the provisioning history of ${user.entityRef}; showing its annotations only`,
        );
      } else {
        this.options.logger.warn(
          `Could not read the SCIM provisioning history of ${
            user.entityRef
          }; showing its annotations only: ${describe(error)}`,
        );
      }
      return base;
    }
  }

  listConflicts(filter?: {
    entityRef?: string;
    memberRef?: string;
  }): Promise<IdentitySourceConflict[]> {
    return this.read('list source conflicts', [], () =>
      this.options.portal.listConflicts(filter),
    );
  }

  async listHeldMemberships(): Promise<UncountedRow[]> {
    const held = await this.read(
      'list the memberships of held groups',
      [],
      () => this.options.portal.listHeldMemberships(),
    );
    return held.map(({ memberRef, conflict }) => ({
      userRef: memberRef,
      groupRef: conflict.entityRef,
      reason: 'conflict',
      path: [memberRef, conflict.entityRef],
      declaredBy: `scim:${conflict.idp}/Groups/${conflict.resourceId}`,
      origin: `scim:${conflict.idp}`,
    }));
  }

  /**
   * A read of conflicts: `none` without the scim plugin (nothing can be
   * held back), ServiceUnavailableError when it fails, since the Identity
   * API's caller did nothing wrong.
   */
  private async read<T>(
    what: string,
    none: T,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (notInstalled(error)) {
        return none;
      }
      if (isError(error) && error.name === ServiceUnavailableError.name) {
        throw error;
      }
      throw new ServiceUnavailableError(
        `Could not ${what}: ${describe(error)}`,
        error,
      );
    }
  }
}
