import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NextFunction, Request, Response } from 'express';

const ACTIONS: Record<string, string> = {
  POST: 'create',
  PUT: 'replace',
  PATCH: 'modify',
  DELETE: 'delete',
};

const RESOURCE_PATH = /^\/(Users|Groups)(?:\/([^/]+))?\/?$/;

/** What the protocol router tells the audit record about its answer. */
export interface ScimAuditLocals {
  /** The id of the resource written, once known (a create learns it late). */
  resourceId?: string;
  /** The SCIM error the request was answered with. */
  scimError?: { detail: string; scimType?: string };
}

/**
 * Records every SCIM write (create, replace, modify, delete of a User or
 * Group) as a `coreServices.auditor` event, `scim.user-mutate` or
 * `scim.group-mutate`, mounted under `/v2` ahead of authentication, so a
 * write refused for its token is recorded as well.
 *
 * @remarks
 *
 * The actor is the identity provider (`meta.idp` of the outcome; `null` when
 * no token matched), whose bearer token is not
 * a Backstage credential, so the request is not handed to the auditor (it
 * would try to read Backstage credentials from it); the caller's address is
 * in `meta.ip`. The outcome is recorded when the answer has been sent:
 * `succeeded` below 400, else `failed` with SCIM's error detail.
 */
export function auditScimWrites(
  auditor: AuditorService,
  logger: LoggerService,
) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const action = ACTIONS[req.method];
    const target = action ? RESOURCE_PATH.exec(req.path) : null;
    if (!action || !target) {
      next();
      return;
    }
    const resourceType = target[1] === 'Users' ? 'User' : 'Group';
    const meta = {
      actionType: action,
      resourceType,
      ...(target[2] ? { resourceId: decodedId(target[2]) } : {}),
      ip: req.ip,
    };
    const event = await auditor.createEvent({
      eventId: resourceType === 'User' ? 'user-mutate' : 'group-mutate',
      severityLevel: 'medium',
      meta,
    });
    res.on('finish', () => {
      const locals = res.locals as ScimAuditLocals;
      const outcome = {
        idp: (res.locals.idp as string | undefined) ?? null,
        status: res.statusCode,
        ...(locals.resourceId ? { resourceId: locals.resourceId } : {}),
      };
      const written =
        res.statusCode < 400
          ? event.success({ meta: outcome })
          : event.fail({
              meta: {
                ...outcome,
                ...(locals.scimError?.scimType
                  ? { scimType: locals.scimError.scimType }
                  : {}),
              },
              error: new Error(
                locals.scimError?.detail ?? `answered ${res.statusCode}`,
              ),
            });
      Promise.resolve(written).catch(error =>
        logger.error('SCIM could not record the outcome of a write', {
          ...meta,
          error: String(error),
        }),
      );
    });
    next();
  };
}

/**
 * The id as the routes will see it; a malformed escape is recorded as sent,
 * so that the route, not the audit record, answers the request.
 */
function decodedId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
