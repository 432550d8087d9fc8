import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  IdentitySource,
  IdentityStatusFlag,
  IdentityUserSortField,
  identityReadPermission,
  identityUserOffboardPermission,
} from '@identity-governance/plugin-identity-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { writeExportCsv } from '../export/writeExportCsv';
import { IdentityService } from '../service/IdentityService';
import { UserFilter } from '../store/IdentityStore';
import { audited } from './audited';
import { createAuthorizer } from './createAuthorizer';
import { parseInput } from './parseInput';
import {
  entityNameParams,
  exportQuerySchema,
  pageQuerySchema,
  usersQuerySchema,
} from './querySchemas';

export interface RouterOptions {
  service: IdentityService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  defaultPageSize: number;
  maxPageSize: number;
}

function toFilter(query: {
  q?: string;
  group?: string;
  source?: string[];
  status?: string[];
}): UserFilter {
  return {
    q: query.q || undefined,
    group: query.group,
    sources: query.source as IdentitySource[] | undefined,
    statuses: query.status as IdentityStatusFlag[] | undefined,
  };
}

/** Thin HTTP layer: parses input, checks permissions, calls the service. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { service, httpAuth, permissions, auditor } = options;
  const router = Router();
  router.use(express.json());

  const usersQuery = usersQuerySchema(
    options.defaultPageSize,
    options.maxPageSize,
  );
  const pageQuery = pageQuerySchema(
    options.defaultPageSize,
    options.maxPageSize,
  );

  const authorize = createAuthorizer(httpAuth, permissions);

  function userRef(req: Request): string {
    const { namespace, name } = parseInput(
      entityNameParams,
      req.params,
      'path',
    );
    return `user:${namespace}/${name}`.toLocaleLowerCase('en-US');
  }

  router.get('/users', async (req, res) => {
    await authorize(req, identityReadPermission);
    const query = parseInput(usersQuery, req.query, 'query');
    res.json(
      await service.listUsers(
        toFilter(query),
        {
          field: query.sort as IdentityUserSortField,
          order: query.order,
        },
        { offset: query.offset, limit: query.limit },
      ),
    );
  });

  router.get('/users/:namespace/:name', async (req, res) => {
    await authorize(req, identityReadPermission);
    const ref = userRef(req);
    res.json(await service.getUser(ref));
  });

  router.get('/users/:namespace/:name/offboard', async (req, res) => {
    await authorize(req, identityReadPermission);
    const ref = userRef(req);
    res.json(await service.previewOffboard(ref));
  });

  router.post('/users/:namespace/:name/offboard', async (req, res) => {
    const ref = userRef(req);
    // Refused attempts are recorded too: the event wraps the checks.
    const result = await audited(
      auditor,
      {
        eventId: 'user-offboard',
        severityLevel: 'medium',
        request: req,
        meta: { entityRef: ref },
      },
      async () => {
        await authorize(req, identityReadPermission);
        await authorize(req, identityUserOffboardPermission, ref);
        // The catalog's own delete rule applies on top, decided here with
        // the entity's ref: the permission backend refuses conditional
        // decisions without a resourceRef for requests relayed through
        // another plugin.
        const credentials = await authorize(
          req,
          catalogEntityDeletePermission,
          ref,
        );
        return service.offboard(ref, credentials);
      },
      r => ({ action: r.action, willReturn: r.willReturn }),
    );
    res.json(result);
  });

  router.post('/users/:namespace/:name/refresh', async (req, res) => {
    const ref = userRef(req);
    await audited(
      auditor,
      {
        eventId: 'user-refresh',
        severityLevel: 'medium',
        request: req,
        meta: { entityRef: ref },
      },
      async () => {
        const credentials = await authorize(req, identityReadPermission);
        await service.refreshUser(ref, credentials);
      },
    );
    res.status(202).json({ entityRef: ref });
  });

  router.get('/groups', async (req, res) => {
    await authorize(req, identityReadPermission);
    parseInput(z.object({}).strict(), req.query, 'query');
    res.json(await service.getGroupTree());
  });

  router.get('/groups/:namespace/:name', async (req, res) => {
    await authorize(req, identityReadPermission);
    const { namespace, name } = parseInput(
      entityNameParams,
      req.params,
      'path',
    );
    const page = parseInput(pageQuery, req.query, 'query');
    res.json(
      await service.getGroup(
        `group:${namespace}/${name}`.toLocaleLowerCase('en-US'),
        page,
      ),
    );
  });

  router.get('/summary', async (req, res) => {
    await authorize(req, identityReadPermission);
    res.json(await service.getSummary());
  });

  router.get('/conflicts', async (req, res) => {
    await authorize(req, identityReadPermission);
    res.json({ items: await service.listConflicts() });
  });

  router.get('/export.csv', async (req, res) => {
    await authorize(req, identityReadPermission);
    const query = parseInput(exportQuerySchema, req.query, 'query');
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      'attachment; filename="identity-access-review.csv"',
    );
    await writeExportCsv(service.exportRows(toFilter(query)), res);
  });

  return router;
}
