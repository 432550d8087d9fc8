import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailableError,
} from '@identity-governance/plugin-scim-node';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import { parseScimFilter } from '../filter/parseScimFilter';
import { LIST_RESPONSE_SCHEMA, ERROR_SCHEMA } from '../schema/scimSchemaUris';
import { etagOf, formatGroup, formatUser } from '../service/formatResource';
import { ScimError } from '../errors/ScimError';
import { ListParams, ScimService } from '../service/ScimService';
import {
  MAX_RESULTS,
  allSchemas,
  resourceTypeDocuments,
  schemaDocument,
  serviceProviderConfig,
} from './discoveryDocuments';
import { auditScimWrites, ScimAuditLocals } from './auditScimWrites';
import { IdpAuthenticator } from './IdpAuthenticator';
import { excludesAttribute, projectAttributes } from './projectAttributes';

export interface ProtocolRouterOptions {
  service: ScimService;
  authenticator: IdpAuthenticator;
  logger: LoggerService;
  /** Records every write as an audit event. */
  auditor: AuditorService;
  /** External URL of the SCIM base, e.g. https://host/api/scim/v2. */
  baseUrl: string;
}

const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
const DEFAULT_COUNT = 100;

function send(res: Response, status: number, body?: JsonObject) {
  res.status(status);
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', SCIM_CONTENT_TYPE);
  res.send(JSON.stringify(body));
}

function sendError(
  res: Response,
  status: number,
  detail: string,
  scimType?: string,
) {
  (res.locals as ScimAuditLocals).scimError = { detail, scimType };
  send(res, status, {
    schemas: [ERROR_SCHEMA],
    status: String(status),
    ...(scimType ? { scimType } : {}),
    detail,
  });
}

/** Whether an If-None-Match or If-Match header names this ETag, or `*`. */
function matchesEtag(header: string, etag: string): boolean {
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return header
    .split(',')
    .some(t => t.trim() === '*' || strip(t) === strip(etag));
}

function integerParam(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === '') {
    return fallback;
  }
  const parsed = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(parsed)) {
    throw ScimError.badRequest('invalidValue', `'${name}' must be an integer`);
  }
  return parsed;
}

function listParams(req: Request): ListParams {
  const { filter } = req.query;
  if (filter !== undefined && typeof filter !== 'string') {
    throw ScimError.badRequest('invalidFilter', 'Only one filter is allowed');
  }
  if (req.query.sortBy !== undefined) {
    // Advertised as unsupported in ServiceProviderConfig; the order is
    // always creation time, then id, which keeps paging stable.
  }
  return {
    filter: filter ? parseScimFilter(filter) : undefined,
    startIndex: Math.max(
      1,
      integerParam(req.query.startIndex, 'startIndex', 1),
    ),
    count: Math.min(
      MAX_RESULTS,
      Math.max(0, integerParam(req.query.count, 'count', DEFAULT_COUNT)),
    ),
  };
}

function projection(req: Request) {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    attributes: text(req.query.attributes),
    excludedAttributes: text(req.query.excludedAttributes),
  };
}

/**
 * The SCIM 2.0 HTTP API (RFC 7644) under `/v2`, authenticated with the
 * identity providers' bearer tokens. Errors are answered in SCIM's own format.
 */
export function createProtocolRouter(
  options: ProtocolRouterOptions,
): express.Router {
  const { service, authenticator, baseUrl, logger, auditor } = options;
  const router = Router();

  // First, so that writes refused for their token or body are recorded too.
  router.use('/v2', auditScimWrites(auditor, logger));
  router.use('/v2', (req, res, next) => {
    const idp = authenticator.authenticate(req.headers.authorization);
    if (!idp) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="scim"');
      sendError(res, 401, 'A valid bearer token is required');
      return;
    }
    res.locals.idp = idp;
    if (
      ['POST', 'PUT', 'PATCH'].includes(req.method) &&
      !req.is(['application/scim+json', 'application/json'])
    ) {
      sendError(
        res,
        400,
        'Content-Type must be application/scim+json or application/json',
        'invalidSyntax',
      );
      return;
    }
    next();
  });
  router.use(
    '/v2',
    express.json({
      type: ['application/scim+json', 'application/json'],
      limit: '10mb',
    }),
  );

  const idpOf = (res: Response): string => res.locals.idp;
  const ifMatch = (req: Request) => req.header('if-match') ?? undefined;

  router.get('/v2/ServiceProviderConfig', (_req, res) => {
    send(res, 200, serviceProviderConfig(baseUrl));
  });
  router.get('/v2/Schemas', (_req, res) => {
    const resources = allSchemas.map(s => schemaDocument(s, baseUrl));
    send(res, 200, {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: resources.length,
      itemsPerPage: resources.length,
      startIndex: 1,
      Resources: resources,
    });
  });
  router.get('/v2/Schemas/:id', (req, res) => {
    const schema = allSchemas.find(s => s.id === req.params.id);
    if (!schema) {
      throw ScimError.notFound(`Schema ${req.params.id} not found`);
    }
    send(res, 200, schemaDocument(schema, baseUrl));
  });
  router.get('/v2/ResourceTypes', (_req, res) => {
    const resources = resourceTypeDocuments(baseUrl);
    send(res, 200, {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: resources.length,
      itemsPerPage: resources.length,
      startIndex: 1,
      Resources: resources,
    });
  });
  router.get('/v2/ResourceTypes/:id', (req, res) => {
    const type = resourceTypeDocuments(baseUrl).find(
      t => t.id === req.params.id,
    );
    if (!type) {
      throw ScimError.notFound(`ResourceType ${req.params.id} not found`);
    }
    send(res, 200, type);
  });

  const sendResource = (
    req: Request,
    res: Response,
    status: number,
    resource: JsonObject,
    version: number,
  ) => {
    const etag = etagOf(version);
    res.setHeader('ETag', etag);
    (res.locals as ScimAuditLocals).resourceId = resource.id as string;
    // A conditional GET (RFC 7644 section 3.14): 304 while the version the
    // client holds is current.
    const ifNoneMatch = req.header('if-none-match');
    if (req.method === 'GET' && ifNoneMatch && matchesEtag(ifNoneMatch, etag)) {
      send(res, 304);
      return;
    }
    if (status === 201) {
      res.setHeader(
        'Location',
        (resource.meta as JsonObject).location as string,
      );
    }
    send(res, status, projectAttributes(resource, projection(req)));
  };

  router.get('/v2/Users', async (req, res) => {
    const params = listParams(req);
    const result = await service.listUsers(idpOf(res), params);
    send(res, 200, {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: result.totalResults,
      itemsPerPage: result.items.length,
      startIndex: params.startIndex,
      Resources: result.items.map(u =>
        projectAttributes(formatUser(u, baseUrl), projection(req)),
      ),
    });
  });
  router.post('/v2/Users', async (req, res) => {
    const user = await service.createUser(idpOf(res), req.body);
    sendResource(req, res, 201, formatUser(user, baseUrl), user.version);
  });
  router.get('/v2/Users/:id', async (req, res) => {
    const user = await service.getUser(idpOf(res), req.params.id);
    sendResource(req, res, 200, formatUser(user, baseUrl), user.version);
  });
  router.put('/v2/Users/:id', async (req, res) => {
    const user = await service.replaceUser(
      idpOf(res),
      req.params.id,
      req.body,
      ifMatch(req),
    );
    sendResource(req, res, 200, formatUser(user, baseUrl), user.version);
  });
  router.patch('/v2/Users/:id', async (req, res) => {
    const user = await service.patchUser(
      idpOf(res),
      req.params.id,
      req.body,
      ifMatch(req),
    );
    sendResource(req, res, 200, formatUser(user, baseUrl), user.version);
  });
  router.delete('/v2/Users/:id', async (req, res) => {
    await service.deleteUser(idpOf(res), req.params.id, ifMatch(req));
    send(res, 204);
  });

  router.get('/v2/Groups', async (req, res) => {
    const params = listParams(req);
    const result = await service.listGroups(idpOf(res), {
      ...params,
      members: !excludesAttribute(projection(req), 'members'),
    });
    send(res, 200, {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: result.totalResults,
      itemsPerPage: result.items.length,
      startIndex: params.startIndex,
      Resources: result.items.map(g =>
        projectAttributes(formatGroup(g, baseUrl), projection(req)),
      ),
    });
  });
  router.post('/v2/Groups', async (req, res) => {
    const group = await service.createGroup(idpOf(res), req.body);
    sendResource(req, res, 201, formatGroup(group, baseUrl), group.version);
  });
  router.get('/v2/Groups/:id', async (req, res) => {
    const group = await service.getGroup(idpOf(res), req.params.id, {
      members: !excludesAttribute(projection(req), 'members'),
    });
    sendResource(req, res, 200, formatGroup(group, baseUrl), group.version);
  });
  router.put('/v2/Groups/:id', async (req, res) => {
    const group = await service.replaceGroup(
      idpOf(res),
      req.params.id,
      req.body,
      ifMatch(req),
    );
    sendResource(req, res, 200, formatGroup(group, baseUrl), group.version);
  });
  router.patch('/v2/Groups/:id', async (req, res) => {
    const group = await service.patchGroup(
      idpOf(res),
      req.params.id,
      req.body,
      ifMatch(req),
    );
    const { attributes, excludedAttributes } = projection(req);
    // Large groups make full responses expensive; RFC 7644 §3.5.2 allows 204
    // unless the client asked for attributes.
    if (!attributes && !excludedAttributes) {
      res.setHeader('ETag', etagOf(group.version));
      send(res, 204);
      return;
    }
    sendResource(req, res, 200, formatGroup(group, baseUrl), group.version);
  });
  router.delete('/v2/Groups/:id', async (req, res) => {
    await service.deleteGroup(idpOf(res), req.params.id, ifMatch(req));
    send(res, 204);
  });

  // Optional features this service provider does not implement: 501, as
  // RFC 7644 sections 3.11 (/Me) and 3.12 (unsupported operations) ask.
  router.all(['/v2/Me', '/v2/Me/*'], (_req, res) => {
    sendError(
      res,
      501,
      'The /Me alias is not supported: the bearer token authenticates an identity provider, not a user',
    );
  });
  router.post('/v2/Bulk', (_req, res) => {
    sendError(res, 501, 'Bulk operations are not supported');
  });
  router.post(
    ['/v2/.search', '/v2/Users/.search', '/v2/Groups/.search'],
    (_req, res) => {
      sendError(
        res,
        501,
        'Searching with POST is not supported; use GET with a filter',
      );
    },
  );

  router.use('/v2', (req, res) => {
    sendError(res, 404, `No SCIM endpoint ${req.method} ${req.path}`);
  });
  router.use(
    '/v2',
    (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      if (error instanceof ScimError) {
        sendError(res, error.status, error.message, error.scimType);
        return;
      }
      if (isError(error) && (error as any).type === 'entity.parse.failed') {
        sendError(res, 400, 'Request body is not valid JSON', 'invalidSyntax');
        return;
      }
      if (isError(error) && (error as any).type === 'entity.too.large') {
        sendError(res, 413, 'Request body is too large');
        return;
      }
      if (error instanceof URIError) {
        // Express could not decode a path parameter (a malformed escape).
        sendError(res, 400, 'The request path is not valid', 'invalidValue');
        return;
      }
      if (isError(error) && error.name === InputError.name) {
        sendError(res, 400, error.message, 'invalidValue');
        return;
      }
      if (isDatabaseUnavailableError(error)) {
        // The write ran in a transaction the lost connection rolled back:
        // nothing of it remains, and the IdP may retry it as is.
        logger.warn(
          `SCIM request answered 503, the database is unavailable: ${
            isError(error) ? error.message : String(error)
          }`,
        );
        res.setHeader(
          'Retry-After',
          String(DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS),
        );
        sendError(
          res,
          503,
          'The service is temporarily unavailable (its database cannot be reached); retry later',
        );
        return;
      }
      logger.error('SCIM request failed', isError(error) ? error : undefined);
      sendError(res, 500, 'Internal error');
    },
  );

  return router;
}
