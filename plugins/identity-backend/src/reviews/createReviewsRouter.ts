import {
  AuditorService,
  AuditorServiceCreateEventOptions,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  identityReviewManagePermission,
  ReviewCampaignList,
} from '@identity-governance/plugin-identity-common';
import { JsonObject } from '@backstage/types';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeCsv } from '../export/writeCsv';
import { audited } from '../router/audited';
import {
  createAuthorizer,
  createPermissionDecider,
} from '../router/createAuthorizer';
import { parseInput } from '../router/parseInput';
import { reviewExportColumns, toExportRows } from './reviewExportColumns';
import { reviewReportHtml } from './reviewReportHtml';
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

/**
 * The report is data, never code: no script runs and nothing loads from
 * elsewhere, even if a value escaped the escaping.
 */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

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
  const decide = createPermissionDecider(httpAuth, permissions);
  const authorize = createAuthorizer(httpAuth, permissions);
  const query = itemsQuery(options.defaultPageSize, options.maxPageSize);
  const decisions = decisionsBody(options.maxPageSize);

  /** Reviews are personal: only users take part, never services. */
  const caller = async (req: Request): Promise<ReviewCaller> => {
    const { credentials, allowed } = await decide(
      req,
      identityReviewManagePermission,
      { allow: ['user'] },
    );
    const { userEntityRef } = credentials.principal as BackstageUserPrincipal;
    return { userRef: userEntityRef, manager: allowed };
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

  /**
   * One audit event per action on a campaign, refusals included: writes at
   * medium severity, evidence leaving the system at low.
   */
  const record = <T>(
    req: Request,
    event: Pick<AuditorServiceCreateEventOptions, 'eventId' | 'meta'> & {
      severityLevel?: AuditorServiceCreateEventOptions['severityLevel'];
    },
    action: () => Promise<T>,
    outcome?: (result: T) => JsonObject,
  ) =>
    audited(
      auditor,
      { severityLevel: 'medium', ...event, request: req },
      action,
      outcome,
    );

  router.post('/campaigns', async (req, res) => {
    const campaign = await record(
      req,
      { eventId: 'review-campaign-create' },
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
    const result = await record(
      req,
      { eventId: 'review-decision', meta: { campaignId: id } },
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
          revocationSteps: i.revocation?.steps.length ?? 0,
        })),
      }),
    );
    res.json(result);
  });

  router.post('/campaigns/:id/items/:itemId/reassign', async (req, res) => {
    const { id, itemId } = parseInput(itemParams, req.params, 'path');
    const item = await record(
      req,
      { eventId: 'review-reassign', meta: { campaignId: id, itemId } },
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
    const campaign = await record(
      req,
      { eventId: 'review-campaign-close', meta: { campaignId: id } },
      async () => reviews.close(await manager(req), id),
      c => ({ itemCount: c.itemCount, decidedCount: c.decidedCount }),
    );
    res.json(campaign);
  });

  /**
   * Evidence leaves the system here: managers only, recorded like the
   * writes. Answers the campaign id and what `load` read for it.
   */
  const evidence = async <T>(
    req: Request,
    eventId: string,
    load: (id: string) => Promise<T>,
  ) => {
    const { id } = parseInput(campaignParams, req.params, 'path');
    parseInput(noQuery, req.query, 'query');
    const result = await record(
      req,
      { eventId, severityLevel: 'low', meta: { campaignId: id } },
      async () => {
        await authorize(req, identityReviewManagePermission);
        return load(id);
      },
    );
    return { id, result };
  };

  router.get('/campaigns/:id/export', async (req, res) => {
    const { id, result: rows } = await evidence(
      req,
      'review-campaign-export',
      campaignId => reviews.exportItems(campaignId),
    );
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="review-campaign-${id}.csv"`,
    );
    await writeCsv(reviewExportColumns, toExportRows(rows), res);
  });

  router.get('/campaigns/:id/report', async (req, res) => {
    const { id, result } = await evidence(
      req,
      'review-campaign-report',
      campaignId => reviews.exportCampaign(campaignId),
    );
    res.status(200);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', REPORT_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader(
      'Content-Disposition',
      `inline; filename="review-campaign-${id}.html"`,
    );
    const html = reviewReportHtml(
      result.campaign,
      result.items,
      new Date().toISOString(),
    );
    await pipeline(Readable.from(html), res).catch(error => {
      // A client that left mid-report has nothing left to be told; the
      // pipeline has stopped the item queries.
      if (error?.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        throw error;
      }
    });
  });

  return router;
}
