import {
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  GuardedPermissionsResponse,
  identityReadPermission,
} from '@identity-governance/plugin-identity-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { CsvColumn, writeCsv } from '../export/writeCsv';
import { AccessService, WhoCanExportRow } from '../service/AccessService';
import { createAuthorizer } from './createAuthorizer';
import { parseInput } from './parseInput';
import { entityNameParams } from './querySchemas';

export interface AccessRouterOptions {
  access: AccessService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  defaultPageSize: number;
  maxPageSize: number;
}

const permissionParams = z.object({
  permission: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,200}$/, 'not a valid permission name'),
});

const checkBody = z
  .object({
    userEntityRef: z.string().trim().min(1).max(300),
    permission: z.string().trim().min(1).max(200),
    resourceRef: z.string().trim().min(1).max(300).optional(),
  })
  .strict();

/** 64 KiB of YAML is far more than any policy block. */
const dryRunBody = z.object({ yaml: z.string().max(65536) }).strict();

const whoCanColumns: Array<CsvColumn<WhoCanExportRow>> = [
  { key: 'userRef', header: 'user_ref' },
  { key: 'name', header: 'name' },
  { key: 'displayName', header: 'display_name' },
  { key: 'email', header: 'email' },
  { key: 'groupRef', header: 'group_ref' },
  { key: 'path', header: 'path' },
  { key: 'decidedBy', header: 'decided_by' },
];

/**
 * Effective access under `/access`: parses input, checks permissions, calls
 * the access service.
 */
export async function createAccessRouter(
  options: AccessRouterOptions,
): Promise<express.Router> {
  const { access, httpAuth, permissions } = options;
  const router = Router();
  router.use(express.json());
  const authorize = createAuthorizer(httpAuth, permissions);
  const whoCanQuery = z
    .object({
      q: z.string().trim().max(200).optional(),
      offset: z.coerce.number().int().min(0).default(0),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(options.maxPageSize)
        .default(options.defaultPageSize),
    })
    .strict();
  const noQuery = z.object({}).strict();

  // Any signed-in user, guests included: their own access only.
  router.get('/access/me', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { userEntityRef } = credentials.principal as BackstageUserPrincipal;
    res.json(await access.explainUser(userEntityRef));
  });

  router.get('/access/users/:namespace/:name', async (req, res) => {
    await authorize(req, identityReadPermission);
    parseInput(noQuery, req.query, 'query');
    const { namespace, name } = parseInput(
      entityNameParams,
      req.params,
      'path',
    );
    res.json(
      await access.explainUser(
        `user:${namespace}/${name}`.toLocaleLowerCase('en-US'),
      ),
    );
  });

  router.post('/access/check', async (req, res) => {
    await authorize(req, identityReadPermission);
    res.json(await access.check(parseInput(checkBody, req.body, 'body')));
  });

  router.get('/access/permissions', async (req, res) => {
    await authorize(req, identityReadPermission);
    parseInput(noQuery, req.query, 'query');
    const body: GuardedPermissionsResponse = {
      items: await access.guardedPermissions(),
    };
    res.json(body);
  });

  router.get('/access/who-can/:permission', async (req, res) => {
    await authorize(req, identityReadPermission);
    const { permission } = parseInput(permissionParams, req.params, 'path');
    const query = parseInput(whoCanQuery, req.query, 'query');
    res.json(await access.whoCan(permission, query));
  });

  router.get('/access/who-can/:permission/export.csv', async (req, res) => {
    await authorize(req, identityReadPermission);
    const { permission } = parseInput(permissionParams, req.params, 'path');
    parseInput(noQuery, req.query, 'query');
    // A bad permission name fails here, before the first byte.
    const rows = await access.whoCanExport(permission);
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="who-can-${permission}.csv"`,
    );
    await writeCsv(whoCanColumns, rows, res);
  });

  // identity.read suffices: a dry-run shows who is in which groups, as the
  // rest of the API does for identity.read, and changes nothing.
  router.post('/access/dry-run', async (req, res) => {
    await authorize(req, identityReadPermission);
    const { yaml } = parseInput(dryRunBody, req.body, 'body');
    res.json(await access.dryRun(yaml));
  });

  return router;
}
