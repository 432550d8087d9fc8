import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AccessExplanation,
  CheckAccessRequest,
  CreateReviewCampaignRequest,
  DryRunRequest,
  DryRunResponse,
  GuardedPermissionInfo,
  IdentityGroupDetail,
  IdentityGroupTree,
  IdentityOffboardPreview,
  IdentityOffboardResult,
  IdentityPage,
  IdentitySummary,
  IdentityUser,
  IdentityUserDetail,
  ReviewCampaign,
  ReviewCampaignList,
  ReviewDecisionRequest,
  ReviewDecisionResult,
  ReviewItem,
  ReviewItemPage,
  UserAccessResponse,
  WhoCanResponse,
} from '@identity-governance/plugin-identity-common';
import {
  IdentityApi,
  IdentityEntityName,
  IdentityGroupMembersQuery,
  IdentityUsersQuery,
  IdentityWhoCanQuery,
  ReviewItemsQuery,
} from './IdentityApi';
import { usersQueryParams } from './usersQueryParams';

function pageParams(query: ReviewItemsQuery): string {
  const params = new URLSearchParams();
  if (query.mine) params.set('mine', 'true');
  if (query.q) params.set('q', query.q);
  if (query.offset !== undefined) params.set('offset', String(query.offset));
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  const search = params.toString();
  return search && `?${search}`;
}

const jsonBody = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

const campaignPath = (id: string) =>
  `/reviews/campaigns/${encodeURIComponent(id)}`;

function entityPath(kind: 'users' | 'groups', entity: IdentityEntityName) {
  return `/${kind}/${encodeURIComponent(entity.namespace)}/${encodeURIComponent(
    entity.name,
  )}`;
}

/**
 * Talks to the identity backend through `fetchApi`, so every request carries
 * the signed-in user's Backstage token.
 *
 * @public
 */
export class IdentityClient implements IdentityApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  /**
   * @param options - `discoveryApi` finds the identity backend; `fetchApi`
   * sends the requests with the user's token.
   */
  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** {@inheritDoc IdentityApi.getUsers} */
  getUsers(query: IdentityUsersQuery): Promise<IdentityPage<IdentityUser>> {
    const params = usersQueryParams(query);
    return this.json(`/users?${params}`);
  }

  /** {@inheritDoc IdentityApi.getUser} */
  getUser(user: IdentityEntityName): Promise<IdentityUserDetail> {
    return this.json(entityPath('users', user));
  }

  /** {@inheritDoc IdentityApi.getGroups} */
  getGroups(): Promise<IdentityGroupTree> {
    return this.json('/groups');
  }

  /** {@inheritDoc IdentityApi.getGroup} */
  getGroup(
    group: IdentityEntityName,
    query: IdentityGroupMembersQuery = {},
  ): Promise<IdentityGroupDetail> {
    const params = new URLSearchParams();
    if (query.offset !== undefined) params.set('offset', String(query.offset));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const search = params.toString();
    return this.json(`${entityPath('groups', group)}${search && `?${search}`}`);
  }

  /** {@inheritDoc IdentityApi.getSummary} */
  getSummary(): Promise<IdentitySummary> {
    return this.json('/summary');
  }

  /** {@inheritDoc IdentityApi.exportCsv} */
  async exportCsv(query: IdentityUsersQuery): Promise<Blob> {
    const params = usersQueryParams(query, { filtersOnly: true });
    const response = await this.request(`/export.csv?${params}`);
    return response.blob();
  }

  /** {@inheritDoc IdentityApi.previewOffboard} */
  previewOffboard(user: IdentityEntityName): Promise<IdentityOffboardPreview> {
    return this.json(`${entityPath('users', user)}/offboard`);
  }

  /** {@inheritDoc IdentityApi.offboard} */
  offboard(user: IdentityEntityName): Promise<IdentityOffboardResult> {
    return this.json(`${entityPath('users', user)}/offboard`, {
      method: 'POST',
    });
  }

  /** {@inheritDoc IdentityApi.refresh} */
  async refresh(user: IdentityEntityName): Promise<void> {
    await this.request(`${entityPath('users', user)}/refresh`, {
      method: 'POST',
    });
  }

  /** {@inheritDoc IdentityApi.getMyAccess} */
  getMyAccess(): Promise<UserAccessResponse> {
    return this.json('/access/me');
  }

  /** {@inheritDoc IdentityApi.getUserAccess} */
  getUserAccess(user: IdentityEntityName): Promise<UserAccessResponse> {
    return this.json(`/access${entityPath('users', user)}`);
  }

  /** {@inheritDoc IdentityApi.checkAccess} */
  checkAccess(request: CheckAccessRequest): Promise<AccessExplanation> {
    return this.json('/access/check', jsonBody(request));
  }

  /** {@inheritDoc IdentityApi.getGuardedPermissions} */
  async getGuardedPermissions(): Promise<GuardedPermissionInfo[]> {
    const body = await this.json<
      { items: GuardedPermissionInfo[] } | GuardedPermissionInfo[]
    >('/access/permissions');
    return Array.isArray(body) ? body : body.items;
  }

  /** {@inheritDoc IdentityApi.getWhoCan} */
  getWhoCan(
    permission: string,
    query: IdentityWhoCanQuery = {},
  ): Promise<WhoCanResponse> {
    return this.json(
      `/access/who-can/${encodeURIComponent(permission)}${pageParams(query)}`,
    );
  }

  /** {@inheritDoc IdentityApi.exportWhoCanCsv} */
  async exportWhoCanCsv(permission: string): Promise<Blob> {
    const response = await this.request(
      `/access/who-can/${encodeURIComponent(permission)}/export.csv`,
    );
    return response.blob();
  }

  /** {@inheritDoc IdentityApi.dryRun} */
  dryRun(request: DryRunRequest): Promise<DryRunResponse> {
    return this.json('/access/dry-run', jsonBody(request));
  }

  /** {@inheritDoc IdentityApi.createReviewCampaign} */
  createReviewCampaign(
    request: CreateReviewCampaignRequest,
  ): Promise<ReviewCampaign> {
    return this.json('/reviews/campaigns', jsonBody(request));
  }

  /** {@inheritDoc IdentityApi.getReviewCampaigns} */
  getReviewCampaigns(): Promise<ReviewCampaignList> {
    return this.json('/reviews/campaigns');
  }

  /** {@inheritDoc IdentityApi.getReviewCampaign} */
  getReviewCampaign(id: string): Promise<ReviewCampaign> {
    return this.json(campaignPath(id));
  }

  /** {@inheritDoc IdentityApi.getReviewItems} */
  getReviewItems(
    id: string,
    query: ReviewItemsQuery = {},
  ): Promise<ReviewItemPage> {
    return this.json(`${campaignPath(id)}/items${pageParams(query)}`);
  }

  /** {@inheritDoc IdentityApi.decideReviewItems} */
  decideReviewItems(
    id: string,
    request: ReviewDecisionRequest,
  ): Promise<ReviewDecisionResult> {
    return this.json(`${campaignPath(id)}/decisions`, jsonBody(request));
  }

  /** {@inheritDoc IdentityApi.reassignReviewItem} */
  reassignReviewItem(
    id: string,
    itemId: string,
    reviewer: string,
  ): Promise<ReviewItem> {
    return this.json(
      `${campaignPath(id)}/items/${encodeURIComponent(itemId)}/reassign`,
      jsonBody({ reviewer }),
    );
  }

  /** {@inheritDoc IdentityApi.closeReviewCampaign} */
  closeReviewCampaign(id: string): Promise<ReviewCampaign> {
    return this.json(`${campaignPath(id)}/close`, { method: 'POST' });
  }

  /** {@inheritDoc IdentityApi.exportReviewCampaignCsv} */
  async exportReviewCampaignCsv(id: string): Promise<Blob> {
    return (await this.request(`${campaignPath(id)}/export`)).blob();
  }

  /** {@inheritDoc IdentityApi.getReviewCampaignReport} */
  async getReviewCampaignReport(id: string): Promise<Blob> {
    return (await this.request(`${campaignPath(id)}/report`)).blob();
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.request(path, init);
    return (await response.json()) as T;
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('identity');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
