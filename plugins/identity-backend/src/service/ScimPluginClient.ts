import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  IdentityProvisioning,
  IdentityProvisioningHistoryEntry,
  IdentitySourceConflict,
} from '@identity-governance/plugin-identity-common';
import { StoredUser } from '../store/IdentityStore';
import { ProvisioningHistorySource } from './ProvisioningHistorySource';
import { ScimAnnotationProvisioningSource } from './ScimAnnotationProvisioningSource';
import { ScimDeactivationRequest, ScimOffboarder } from './ScimOffboarder';
import { SourceConflictSource } from './SourceConflictSource';

/** The SCIM module's backend plugin. */
export const SCIM_PLUGIN_ID = 'scim';

const DEFAULT_TIMEOUT_MS = 10_000;

export interface ScimPluginClientOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
  /** What the history is merged into; defaults to the entity's annotations. */
  annotations?: ProvisioningHistorySource;
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** How long one call may take. Default 10 seconds. */
  timeoutMs?: number;
}

/** The parts of a Backstage error body (`{ error: { name, message } }`). */
interface RemoteError {
  name?: string;
  message?: string;
}

/**
 * Reads a Backstage error body. Undefined when the body is not one, which is
 * how a 404 from a plugin that is not installed (the root router's empty
 * 404) is told from the plugin's own NotFoundError.
 */
async function readRemoteError(
  response: Response,
): Promise<RemoteError | undefined> {
  try {
    const text = await response.text();
    if (!text) {
      return undefined;
    }
    const body = JSON.parse(text);
    const error = body?.error;
    if (error && typeof error === 'object') {
      return {
        name: typeof error.name === 'string' ? error.name : undefined,
        message: typeof error.message === 'string' ? error.message : undefined,
      };
    }
  } catch {
    // Not JSON: not an answer of the SCIM plugin's error handler.
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps the entries of the history answer that have the expected shape. */
function toHistory(body: unknown): IdentityProvisioningHistoryEntry[] {
  const items = isRecord(body) ? body.items : undefined;
  if (!Array.isArray(items)) {
    throw new Error('the answer has no items array');
  }
  return items
    .filter(
      (item): item is Record<string, unknown> =>
        isRecord(item) &&
        typeof item.at === 'string' &&
        typeof item.action === 'string' &&
        typeof item.idp === 'string' &&
        (item.resourceType === undefined || item.resourceType === 'User'),
    )
    .map(item => ({
      at: item.at as string,
      action: item.action as string,
      idp: item.idp as string,
      ...(isRecord(item.details) ? { details: item.details } : {}),
      ...(isConflict(item.conflict)
        ? {
            conflict: {
              entityRef: item.conflict.entityRef,
              otherOrigin: item.conflict.otherOrigin,
              detectedAt: item.conflict.detectedAt,
            },
          }
        : {}),
    }));
}

function isConflict(value: unknown): value is {
  entityRef: string;
  otherOrigin: string;
  detectedAt: string;
} {
  return (
    isRecord(value) &&
    typeof value.entityRef === 'string' &&
    typeof value.otherOrigin === 'string' &&
    typeof value.detectedAt === 'string'
  );
}

/** Keeps the entries of the conflicts answer that have the expected shape. */
function toConflicts(body: unknown): IdentitySourceConflict[] {
  const items = isRecord(body) ? body.items : undefined;
  if (!Array.isArray(items)) {
    throw new Error('the answer has no items array');
  }
  return items.flatMap(item => {
    if (!isRecord(item)) {
      return [];
    }
    const { idp, resourceType, resourceId } = item;
    if (
      typeof idp !== 'string' ||
      typeof resourceId !== 'string' ||
      (resourceType !== 'User' && resourceType !== 'Group') ||
      !isConflict(item)
    ) {
      return [];
    }
    const conflict = item;
    return [
      {
        idp,
        resourceType,
        resourceId,
        entityRef: conflict.entityRef,
        otherOrigin: conflict.otherOrigin,
        detectedAt: conflict.detectedAt,
      },
    ];
  });
}

/**
 * Talks to the SCIM module (backend plugin `scim`,
 * `@identity-governance/plugin-catalog-backend-module-scim`) over HTTP, with
 * the identity plugin's own service credentials:
 *
 * - offboarding: `POST /portal/users/:idp/:id/deactivate`, which deactivates
 *   the user in the SCIM store, so the catalog entity goes away and stays
 *   gone until the IdP reactivates it;
 * - provisioning history: `GET /history`, merged into what the entity's
 *   annotations say. The detail never fails for it: without the SCIM module,
 *   or when the call fails, it is the annotations alone;
 * - source conflicts: `GET /conflicts`, the SCIM records held back because
 *   another source provides or provided their entity ref.
 */
export class ScimPluginClient
  implements ScimOffboarder, ProvisioningHistorySource, SourceConflictSource
{
  private readonly annotations: ProvisioningHistorySource;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: ScimPluginClientOptions) {
    this.annotations =
      options.annotations ?? new ScimAnnotationProvisioningSource();
    this.fetch = options.fetch ?? ((...args) => fetch(...args));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async deactivate(request: ScimDeactivationRequest): Promise<void> {
    const { entityRef, idp, scimId, requestedBy } = request;
    const path = `/portal/users/${encodeURIComponent(idp)}/${encodeURIComponent(
      scimId,
    )}/deactivate`;
    const what = `deactivate ${entityRef} (SCIM user ${scimId} of ${idp})`;

    let url: string;
    let response: Response;
    try {
      url = `${await this.baseUrl()}${path}`;
      response = await this.call(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(requestedBy ? { requestedBy } : {}),
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `Could not reach the SCIM module to ${what}: ${
          (error as Error)?.message ?? error
        }`,
        error,
      );
    }

    if (response.ok) {
      const body = await response.json().catch(() => undefined);
      if (isRecord(body) && body.active === true) {
        throw new ServiceUnavailableError(
          `The SCIM module answered but did not ${what}: the user is still active`,
        );
      }
      return;
    }

    const remote = await readRemoteError(response);
    const detail = remote?.message ? `: ${remote.message}` : '';
    switch (response.status) {
      case 404:
        if (remote) {
          throw new NotFoundError(
            `The SCIM module has no user ${scimId} of ${idp} to ${what}${detail}`,
          );
        }
        // An empty 404 comes from the backend's root router: no plugin
        // `scim` is mounted there.
        throw new NotImplementedError(
          `Cannot ${what}: the SCIM module (plugin '${SCIM_PLUGIN_ID}') does not answer at ${url}. Install @identity-governance/plugin-catalog-backend-module-scim with scim.enabled, or set identity.scim.enabled to false.`,
        );
      case 401:
      case 403:
        throw new NotAllowedError(
          `The SCIM module refused to ${what} (HTTP ${response.status})${detail}`,
        );
      case 400:
        throw new InputError(
          `The SCIM module rejected the request to ${what}${detail}`,
        );
      case 409:
        throw new ConflictError(
          `The SCIM module could not ${what}, it conflicts with a concurrent change${detail}`,
        );
      default:
        throw new ServiceUnavailableError(
          `The SCIM module failed to ${what} (HTTP ${response.status})${detail}`,
        );
    }
  }

  async getProvisioning(
    user: StoredUser,
  ): Promise<IdentityProvisioning | undefined> {
    const base = await this.annotations.getProvisioning(user);
    if (!base) {
      return undefined;
    }
    // The SCIM id names the resource exactly, across renames; the entity ref
    // may have belonged to another resource before.
    const query = base.scimId
      ? `resourceId=${encodeURIComponent(base.scimId)}`
      : `entityRef=${encodeURIComponent(user.entityRef)}`;
    try {
      const response = await this.call(
        `${await this.baseUrl()}/history?${query}`,
        { method: 'GET' },
      );
      if (!response.ok) {
        const remote = await readRemoteError(response);
        if (response.status === 404 && !remote) {
          this.options.logger.debug(
            `No SCIM module answers for the provisioning history of ${user.entityRef}; showing its annotations only`,
          );
          return base;
        }
        throw new Error(
          `HTTP ${response.status}${
            remote?.message ? `: ${remote.message}` : ''
          }`,
        );
      }
      return { ...base, history: toHistory(await response.json()) };
    } catch (error) {
      this.options.logger.warn(
        `Could not read the SCIM provisioning history of ${
          user.entityRef
        }; showing its annotations only: ${(error as Error)?.message ?? error}`,
      );
      return base;
    }
  }

  async listConflicts(): Promise<IdentitySourceConflict[]> {
    let response: Response;
    try {
      response = await this.call(`${await this.baseUrl()}/conflicts`, {
        method: 'GET',
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `Could not reach the SCIM module to list source conflicts: ${
          (error as Error)?.message ?? error
        }`,
        error,
      );
    }
    if (!response.ok) {
      const remote = await readRemoteError(response);
      if (response.status === 404 && !remote) {
        // No SCIM module mounted: nothing can be held back.
        return [];
      }
      throw new ServiceUnavailableError(
        `The SCIM module failed to list source conflicts (HTTP ${
          response.status
        })${remote?.message ? `: ${remote.message}` : ''}`,
      );
    }
    try {
      return toConflicts(await response.json());
    } catch (error) {
      throw new ServiceUnavailableError(
        `The SCIM module's list of source conflicts could not be read: ${
          (error as Error)?.message ?? error
        }`,
      );
    }
  }

  private async baseUrl(): Promise<string> {
    return this.options.discovery.getBaseUrl(SCIM_PLUGIN_ID);
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    const { auth } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: SCIM_PLUGIN_ID,
    });
    return this.fetch(url, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        Authorization: `Bearer ${token}`,
      },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }
}
