import {
  AuditorService,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  identityReviewManagePermission,
  ReviewCampaignList,
  ReviewItem,
} from '@identity-governance/plugin-identity-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { CsvColumn, writeCsv } from '../export/writeCsv';
import { audited } from '../router/audited';
import { createAuthorizer } from '../router/createAuthorizer';
import { parseInput } from '../router/parseInput';
import {
  campaignParams,
  createCampaignBody,
  decisionsBody,
  itemParams,
  itemsQuery,
  noQuery,
  reassignBody,
} from './reviewSchemas';
import { ReviewCaller, ReviewService } from './ReviewService';

export interface ReviewsRouterOptions {
  reviews: ReviewService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  defaultPageSize: number;
  maxPageSize: number;
}

const exportColumns: Array<CsvColumn<ReviewItem>> = [
  { key: 'id', header: 'item_id' },
  { key: 'userRef', header: 'user_ref' },
  { key: 'displayName', header: 'display_name' },
  { key: 'email', header: 'email' },
  { key: 'access', header: 'access' },
  { key: 'groupRef', header: 'group_ref' },
  { key: 'path', header: 'path' },
  { key: 'source', header: 'source' },
  { key: 'managedByLocation', header: 'managed_by_location' },
  { key: 'groupManagedByLocation', header: 'group_managed_by_location' },
  { key: 'decidedBy', header: 'allowed_by' },
  { key: 'reviewer', header: 'reviewer' },
  { key: 'decision', header: 'decision' },
  { key: 'decidedByRef', header: 'decided_by' },
  { key: 'decidedAt', header: 'decided_at' },
  { key: 'comment', header: 'comment' },
];

/**
 * Access review campaigns, mounted under `/reviews`: parses input, finds out
 * who asks and whether they manage reviews, records writes as audit events,
 * and leaves what each caller may see to the review service.
 */
export async function createReviewsRouter(
  options: ReviewsRouterOptions,
): Promise<express.Router> {
  const { reviews, httpAuth, permissions, auditor } = options;
  const router = Router();
  router.use(express.json());
  const authorize = createAuthorizer(httpAuth, permissions);
  const query = itemsQuery(options.defaultPageSize, options.maxPageSize);
  const decisions = decisionsBody(options.maxPageSize);

  /** Reviews are personal: only users take part, never services. */
  const caller = async (req: Request): Promise<ReviewCaller> => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { userEntityRef } = credentials.principal as BackstageUserPrincipal;
    const [decision] = await permissions.authorize(
      [{ permission: identityReviewManagePermission }],
      { credentials },
    );
    return {
      userRef: userEntityRef,
      manager: decision.result === AuthorizeResult.ALLOW,
    };
  };
  const manager = async (req: Request): Promise<ReviewCaller> => {
    const who = await caller(req);
    if (!who.manager) {
      throw new NotAllowedError(
        `Not allowed: ${identityReviewManagePermission.name}`,
      );
    }
    return who;
  };

  router.post('/campaigns', async (req, res) => {
    const campaign = await audited(
      auditor,
      {
        eventId: 'review-campaign-create',
        severityLevel: 'medium',
        request: req,
      },
      async () => {
        const who = await manager(req);
        const body = parseInput(createCampaignBody, req.body, 'body');
        return reviews.createCampaign(who, body);
      },
      c => ({ campaignId: c.id, name: c.name, itemCount: c.itemCount }),
    );
    res.status(201).json(campaign);
  });

  router.get('/campaigns', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const body: ReviewCampaignList = {
      items: await reviews.listCampaigns(await caller(req)),
    };
    res.json(body);
  });

  router.get('/campaigns/:id', async (req, res) => {
    const { id } = parseInput(campaignParams, req.params, 'path');
    parseInput(noQuery, req.query, 'query');
    res.json(await reviews.getCampaign(await caller(req), id));
  });

  router.get('/campaigns/:id/items', async (req, res) => {
    const { id } = parseInput(campaignParams, req.params, 'path');
    const { mine, ...page } = parseInput(query, req.query, 'query');
    res.json(
      await reviews.listItems(await caller(req), id, {
        ...page,
        mine: mine === 'true',
      }),
    );
  });

  router.post('/campaigns/:id/decisions', async (req, res) => {
    const { id } = parseInput(campaignParams, req.params, 'path');
    const result = await audited(
      auditor,
      {
        eventId: 'review-decision',
        severityLevel: 'medium',
        request: req,
        meta: { campaignId: id },
      },
      async () => {
        const body = parseInput(decisions, req.body, 'body');
        return reviews.decide(await caller(req), id, body);
      },
      r => ({
        decisions: r.items.map(i => ({
          itemId: i.id,
          userRef: i.userRef,
          access: i.access,
          decision: i.decision ?? null,
        })),
      }),
    );
    res.json(result);
  });

  router.post('/campaigns/:id/items/:itemId/reassign', async (req, res) => {
    const { id, itemId } = parseInput(itemParams, req.params, 'path');
    const item = await audited(
      auditor,
      {
        eventId: 'review-reassign',
        severityLevel: 'medium',
        request: req,
        meta: { campaignId: id, itemId },
      },
      async () => {
        const who = await manager(req);
        const { reviewer } = parseInput(reassignBody, req.body, 'body');
        return reviews.reassign(who, id, itemId, reviewer);
      },
      i => ({ reviewer: i.reviewer, userRef: i.userRef, access: i.access }),
    );
    res.json(item);
  });

  router.post('/campaigns/:id/close', async (req, res) => {
    const { id } = parseInput(campaignParams, req.params, 'path');
    const campaign = await audited(
      auditor,
      {
        eventId: 'review-campaign-close',
        severityLevel: 'medium',
        request: req,
        meta: { campaignId: id },
      },
      async () => reviews.close(await manager(req), id),
      c => ({ itemCount: c.itemCount, decidedCount: c.decidedCount }),
    );
    res.json(campaign);
  });

  // Evidence leaves the system here: recorded like the writes.
  router.get('/campaigns/:id/export', async (req, res) => {
    const { id } = parseInput(campaignParams, req.params, 'path');
    parseInput(noQuery, req.query, 'query');
    const rows = await audited(
      auditor,
      {
        eventId: 'review-campaign-export',
        severityLevel: 'low',
        request: req,
        meta: { campaignId: id },
      },
      async () => {
        await authorize(req, identityReviewManagePermission);
        return reviews.exportItems(id);
      },
    );
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="review-campaign-${id}.csv"`,
    );
    await writeCsv(exportColumns, rows, res);
  });

  return router;
}
