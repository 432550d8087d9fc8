import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  parseAdoption,
  parseConflicts,
  parseDeactivation,
  parseHeldMemberships,
  parseHistory,
} from './parsePortalAnswers';
import { portalErrorOf } from './portalErrorOf';
import {
  ScimAdoption,
  ScimConflict,
  ScimDeactivation,
  ScimHeldMembership,
  ScimHistoryEntry,
  ScimPortalApi,
} from './ScimPortalApi';

const SCIM_PLUGIN_ID = 'scim';
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Options of {@link ScimPortalClient}.
 *
 * @public
 */
export interface ScimPortalClientOptions {
  /** Finds the scim plugin's base URL. */
  discovery: DiscoveryService;
  /** Issues the caller's service token for the scim plugin. */
  auth: AuthService;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** How long one call may take. Defaults to 10 seconds. */
  timeoutMs?: number;
}

const describe = (error: unknown) => (error as Error)?.message ?? error;

/**
 * Calls the scim plugin's portal API over HTTP with the caller's own service
 * credentials. See {@link ScimPortalApi} for what it throws.
 *
 * @public
 */
export class ScimPortalClient implements ScimPortalApi {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: ScimPortalClientOptions) {
    this.fetch = options.fetch ?? ((...args) => fetch(...args));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** {@inheritDoc ScimPortalApi.deactivateUser} */
  async deactivateUser(request: {
    idp: string;
    id: string;
    requestedBy?: string;
  }): Promise<ScimDeactivation> {
    const { idp, id, requestedBy } = request;
    const what = `deactivate user ${id} of ${idp}`;
    const result = await this.call(
      `/portal/users/${encodeURIComponent(idp)}/${encodeURIComponent(
        id,
      )}/deactivate`,
      what,
      parseDeactivation,
      { method: 'POST', body: requestedBy ? { requestedBy } : {} },
    );
    if (result.active) {
      throw new ServiceUnavailableError(
        `The scim plugin answered but did not ${what}: the user is still active`,
      );
    }
    return result;
  }

  /** {@inheritDoc ScimPortalApi.getHistory} */
  getHistory(
    query: { resourceId: string } | { entityRef: string },
  ): Promise<ScimHistoryEntry[]> {
    const [key, value] =
      'resourceId' in query
        ? ['resourceId', query.resourceId]
        : ['entityRef', query.entityRef];
    return this.call(
      `/history?${key}=${encodeURIComponent(value)}`,
      `read the history of ${value}`,
      parseHistory,
    );
  }

  /** {@inheritDoc ScimPortalApi.listConflicts} */
  listConflicts(filter?: {
    entityRef?: string;
    memberRef?: string;
  }): Promise<ScimConflict[]> {
    const query = new URLSearchParams();
    for (const key of ['entityRef', 'memberRef'] as const) {
      if (filter?.[key] !== undefined) {
        query.set(key, filter[key]!);
      }
    }
    const search = query.toString();
    return this.call(
      search ? `/conflicts?${search}` : '/conflicts',
      search
        ? `list the source conflicts of ${[...query.values()].join(', ')}`
        : 'list source conflicts',
      parseConflicts,
    );
  }

  /** {@inheritDoc ScimPortalApi.listHeldMemberships} */
  listHeldMemberships(): Promise<ScimHeldMembership[]> {
    return this.call(
      '/conflicts/memberships',
      'list the memberships of held groups',
      parseHeldMemberships,
    );
  }

  /** {@inheritDoc ScimPortalApi.adoptConflict} */
  adoptConflict(request: {
    idp: string;
    id: string;
    requestedBy?: string;
  }): Promise<ScimAdoption> {
    const { idp, id, requestedBy } = request;
    return this.call(
      `/conflicts/${encodeURIComponent(idp)}/${encodeURIComponent(id)}/adopt`,
      `adopt the entity of ${idp} record ${id}`,
      parseAdoption,
      { method: 'POST', body: requestedBy ? { requestedBy } : {} },
    );
  }

  private async call<T>(
    path: string,
    what: string,
    parse: (body: unknown) => T,
    init?: { method: 'POST'; body: object },
  ): Promise<T> {
    let url: string;
    let response: Response;
    try {
      url = `${await this.options.discovery.getBaseUrl(SCIM_PLUGIN_ID)}${path}`;
      const { auth } = this.options;
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: SCIM_PLUGIN_ID,
      });
      response = await this.fetch(url, {
        method: init?.method ?? 'GET',
        headers: {
          Authorization: `Bearer ${token}`,
          ...(init ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(init ? { body: JSON.stringify(init.body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `Could not reach the scim plugin to ${what}: ${describe(error)}`,
        error,
      );
    }
    if (!response.ok) {
      throw await portalErrorOf(response, url, what);
    }
    try {
      return parse(await response.json());
    } catch (error) {
      throw new ServiceUnavailableError(
        `The scim plugin's answer to ${what} could not be read: ${describe(
          error,
        )}`,
      );
    }
  }
}
