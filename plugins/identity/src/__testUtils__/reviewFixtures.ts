import {
  ReviewCampaign,
  ReviewItem,
} from '@identity-governance/plugin-identity-common';
import { IdentityApi, ReviewItemsQuery } from '../api';

export const CAMPAIGN_ID = '3f1c2a4e-8b7d-4c3e-9a1f-0e2d4b6c8a10';
export const ADA = 'user:default/ada.admin';
export const SAM = 'user:default/sam.sre';
export const NINA = 'user:default/nina.nested';

/** An open campaign over who can delete, half of it decided. */
export const openCampaign: ReviewCampaign = {
  id: CAMPAIGN_ID,
  name: 'Q4 catalog admins',
  scope: { type: 'permission', permission: 'catalog.entity.delete' },
  status: 'open',
  createdBy: ADA,
  createdAt: '2026-12-01T09:00:00.000Z',
  dueAt: '2026-12-31T00:00:00.000Z',
  itemCount: 2,
  decidedCount: 1,
  progress: [
    { reviewer: NINA, total: 1, decided: 1, kept: 0, revoked: 1 },
    { reviewer: SAM, total: 1, decided: 0, kept: 0, revoked: 0 },
  ],
};

export const closedCampaign: ReviewCampaign = {
  ...openCampaign,
  id: '7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918',
  name: 'Q3 SRE members',
  scope: { type: 'groups', groups: ['group:default/sre'] },
  status: 'closed',
  closedAt: '2026-10-01T00:00:00.000Z',
  closedBy: ADA,
  decidedCount: 2,
};

/** Ada's access, Sam's to decide. */
export const adaItem: ReviewItem = {
  id: '11111111-1111-4111-8111-111111111111',
  campaignId: CAMPAIGN_ID,
  userRef: ADA,
  displayName: 'Ada Admin',
  email: 'ada@example.com',
  access: 'catalog.entity.delete',
  groupRef: 'group:default/platform-admins',
  path: 'user:default/ada.admin -> group:default/platform-admins',
  source: 'file',
  managedByLocation: 'file:../../examples/demo-org/directory-corp.yaml',
  groupManagedByLocation: 'file:../../examples/demo-org/groups.yaml',
  decidedBy: 'admin-group',
  reviewer: SAM,
};

/** Oscar's access, revoked by Nina with the steps to take. */
export const revokedItem: ReviewItem = {
  id: '22222222-2222-4222-8222-222222222222',
  campaignId: CAMPAIGN_ID,
  userRef: 'user:default/oscar.ordinary',
  displayName: 'Oscar Ordinary',
  access: 'catalog.entity.delete',
  groupRef: 'group:default/platform-admins',
  path: 'user:default/oscar.ordinary -> group:default/platform-admins-emea -> group:default/platform-admins',
  source: 'scim',
  managedByLocation: 'scim:entra',
  reviewer: NINA,
  decision: 'revoke',
  comment: 'Moved to sales',
  decidedAt: '2026-12-02T10:30:00.000Z',
  decidedByRef: NINA,
  revocation: {
    status: 'pending',
    checkedAt: '2026-12-02T11:00:00.000Z',
    steps: [
      {
        kind: 'scim',
        source: 'scim:entra',
        target: 'entra',
        change: 'Remove oscar.ordinary from the group platform-admins-emea',
      },
      {
        kind: 'file',
        source: 'file',
        target: 'examples/demo-org/groups.yaml',
        line: 42,
        change: 'Delete platform-admins-emea from spec.children',
      },
    ],
  },
};

type ReviewMethods = Pick<
  IdentityApi,
  | 'createReviewCampaign'
  | 'getReviewCampaigns'
  | 'getReviewCampaign'
  | 'getReviewItems'
  | 'decideReviewItems'
  | 'reassignReviewItem'
  | 'closeReviewCampaign'
  | 'exportReviewCampaignCsv'
  | 'getReviewCampaignReport'
>;

/** The review methods of the mocked IdentityApi, answering the fixtures. */
export function mockReviewMethods(): jest.Mocked<ReviewMethods> {
  const items = [adaItem, revokedItem];
  return {
    createReviewCampaign: jest.fn(async request => ({
      ...openCampaign,
      name: request.name,
      scope: request.scope,
    })),
    getReviewCampaigns: jest.fn(async () => ({
      items: [openCampaign, closedCampaign],
    })),
    getReviewCampaign: jest.fn(async (id: string) =>
      id === closedCampaign.id ? closedCampaign : openCampaign,
    ),
    getReviewItems: jest.fn(async (_id: string, query?: ReviewItemsQuery) => ({
      items,
      totalItems: items.length,
      offset: query?.offset ?? 0,
      limit: query?.limit ?? 25,
    })),
    decideReviewItems: jest.fn(async (_id, request) => ({
      items: request.decisions.map(d => ({
        ...(items.find(i => i.id === d.itemId) ?? adaItem),
        ...d,
      })),
    })),
    reassignReviewItem: jest.fn(async (_id, _itemId, reviewer) => ({
      ...adaItem,
      reviewer,
    })),
    closeReviewCampaign: jest.fn(async (_id: string) => ({
      ...openCampaign,
      status: 'closed' as const,
    })),
    exportReviewCampaignCsv: jest.fn(
      async (_id: string) => new Blob(['item_id,decision\n']),
    ),
    getReviewCampaignReport: jest.fn(
      async (_id: string) => new Blob(['<html></html>'], { type: 'text/html' }),
    ),
  };
}
