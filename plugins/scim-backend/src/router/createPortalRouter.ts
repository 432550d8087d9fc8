import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { identityReadPermission } from '@identity-governance/plugin-identity-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { ScimError } from '../errors/ScimError';
import { scimConflictAdoptPermission } from '../permissions';
import { ScimService } from '../service/ScimService';
import { ScimStore } from '../store/ScimStore';

export interface PortalRouterOptions {
  service: ScimService;
  store: Pick<
    ScimStore,
    'getHistory' | 'listConflicts' | 'listHeldMemberships'
  >;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}

/**
 * The routes for the portal and other backend plugins, outside `/v2`:
 * deactivation (offboarding), the provisioning history, and the source
 * conflicts with their adoption. Authenticated with Backstage credentials;
 * `@identity-governance/plugin-scim-node`'s ScimPortalClient calls them.
 */
export function createPortalRouter(
  options: PortalRouterOptions,
): express.Router {
  const { service, auditor } = options;
  const router = Router();

  // Offboarding from the Identity page. Only backend plugins may call it:
  // the identity backend checks the user's permissions first and names them
  // in `requestedBy`, which the provisioning history keeps.
  router.post(
    '/portal/users/:idp/:id/deactivate',
    express.json(),
    async (req, res) => {
      const credentials = await options.httpAuth.credentials(req, {
        allow: ['service'],
      });
      const requestedBy = req.body?.requestedBy;
      if (requestedBy !== undefined && typeof requestedBy !== 'string') {
        throw new InputError('requestedBy must be a string');
      }
      const deactivatedBy = requestedBy ?? credentials.principal.subject;
      const event = await auditor.createEvent({
        eventId: 'user-mutate',
        severityLevel: 'medium',
        request: req,
        meta: {
          actionType: 'deactivate',
          idp: req.params.idp,
          resourceId: req.params.id,
          requestedBy: deactivatedBy,
        },
      });
      try {
        const user = await service.deactivateUser(
          req.params.idp,
          req.params.id,
          { deactivatedBy, via: credentials.principal.subject },
        );
        await event.success();
        res.json({ id: user.id, idp: user.idp, active: user.active });
      } catch (error) {
        await event.fail({ error: error as Error });
        if (error instanceof ScimError && error.status === 404) {
          throw new NotFoundError(error.message);
        }
        throw error;
      }
    },
  );

  // Who may read provisioning records (history, conflicts): users allowed
  // identity.read, the permission of the Identity page that shows them, and
  // backend plugins (the identity backend calls with its service token, after
  // its own permission checks). Service principals never reach the
  // permission policy; externalAccess restrictions limit them.
  const authorizeRead = async (req: Request) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type === 'service') {
      return;
    }
    const [decision] = await options.permissions.authorize(
      [{ permission: identityReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Reading provisioning records requires the ${identityReadPermission.name} permission`,
      );
    }
  };

  router.get('/history', async (req, res) => {
    await authorizeRead(req);
    const entityRef =
      typeof req.query.entityRef === 'string' ? req.query.entityRef : undefined;
    const resourceId =
      typeof req.query.resourceId === 'string'
        ? req.query.resourceId
        : undefined;
    if (!entityRef && !resourceId) {
      throw new InputError(
        'Query parameter entityRef or resourceId is required',
      );
    }
    const items = await options.store.getHistory({ entityRef, resourceId });
    res.json({ items });
  });

  // Records held back because another source provides or provided their
  // entity ref, for the admin who resolves them; `?entityRef=` narrows them
  // to one ref, and `?memberRef=` to the held groups a user is a member of
  // (memberships its IdP declared that nobody emits), for a user's detail.
  router.get('/conflicts', async (req, res) => {
    await authorizeRead(req);
    const { entityRef, memberRef } = req.query;
    for (const [name, value] of Object.entries({ entityRef, memberRef })) {
      if (value !== undefined && typeof value !== 'string') {
        throw new InputError(`Query parameter ${name} must be given once`);
      }
    }
    res.json({
      items: await options.store.listConflicts({
        entityRef: entityRef as string | undefined,
        memberRef: memberRef as string | undefined,
      }),
    });
  });

  // What the Identity index lists as memberships that do not count for the
  // reason `conflict`, for every user at once.
  router.get('/conflicts/memberships', async (req, res) => {
    await authorizeRead(req);
    res.json({ items: await options.store.listHeldMemberships() });
  });

  // Resolves a conflict in favour of the SCIM record. Users need
  // scim.conflict.adopt; backend plugins may call it on behalf of a user
  // they checked, naming them in `requestedBy` as for deactivation.
  router.post('/conflicts/:idp/:id/adopt', express.json(), async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    let adoptedBy: string;
    if (credentials.principal.type === 'user') {
      const [decision] = await options.permissions.authorize(
        [{ permission: scimConflictAdoptPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Adopting an entity from another source requires the ${scimConflictAdoptPermission.name} permission`,
        );
      }
      adoptedBy = credentials.principal.userEntityRef;
    } else {
      const requestedBy = req.body?.requestedBy;
      if (requestedBy !== undefined && typeof requestedBy !== 'string') {
        throw new InputError('requestedBy must be a string');
      }
      adoptedBy = requestedBy ?? credentials.principal.subject;
    }
    const event = await auditor.createEvent({
      eventId: 'conflict-adopt',
      // An identity provider takes over an entity another source provided.
      severityLevel: 'high',
      request: req,
      meta: {
        idp: req.params.idp,
        resourceId: req.params.id,
        adoptedBy,
      },
    });
    try {
      const conflict = await service.adoptConflict(
        req.params.idp,
        req.params.id,
        adoptedBy,
      );
      await event.success({
        meta: {
          resourceType: conflict.resourceType,
          entityRef: conflict.entityRef,
          adoptedFrom: conflict.otherOrigin,
        },
      });
      res.json({
        idp: conflict.idp,
        resourceType: conflict.resourceType,
        resourceId: conflict.resourceId,
        entityRef: conflict.entityRef,
        adoptedFrom: conflict.otherOrigin,
        adoptedBy,
      });
    } catch (error) {
      await event.fail({ error: error as Error });
      if (error instanceof ScimError && error.status === 404) {
        throw new NotFoundError(error.message);
      }
      throw error;
    }
  });

  return router;
}
