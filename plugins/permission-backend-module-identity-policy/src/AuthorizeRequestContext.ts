import express from 'express';
import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Permission } from '@backstage/plugin-permission-common';

interface RequestItems {
  items: Array<{ permission?: { name?: unknown }; resourceRef?: unknown }>;
  next: number;
}

/**
 * Gives the policy the resourceRef of the request it is deciding, for the
 * decision log.
 *
 * @remarks
 *
 * `PermissionPolicy.handle` receives only the permission, never the
 * resourceRef. The permission backend calls `handle` once per item of a
 * `POST /authorize` batch, in order, passing the credentials object that
 * `httpAuth.credentials(req)` returns, which is one object per request. So
 * this middleware (registered on the permission plugin's router ahead of the
 * plugin's own routes) parses the body and files its items under that object,
 * and the policy takes them one by one. An item is only used when its
 * permission name matches, so a change in that calling pattern yields no
 * resourceRef rather than a wrong one. The resourceRef is for logging only:
 * decisions never depend on it.
 *
 * (Async-local storage would do the same without relying on the credentials
 * object, but enabling it slows every promise in the process.)
 */
export class AuthorizeRequestContext {
  readonly #requests = new WeakMap<BackstageCredentials, RequestItems>();

  /** Middleware for the permission plugin's router. */
  middleware(httpAuth: HttpAuthService): express.Router {
    const router = express.Router();
    // The plugin's own express.json() skips bodies parsed already.
    router.post('/authorize', express.json(), (req, _res, next) => {
      const items = Array.isArray(req.body?.items) ? req.body.items : [];
      httpAuth.credentials(req).then(
        credentials => {
          this.#requests.set(credentials, { items, next: 0 });
          next();
        },
        // The plugin's route reports bad credentials itself.
        () => next(),
      );
    });
    return router;
  }

  /**
   * The resourceRef of the batch item being decided; call once per `handle`,
   * synchronously at its start.
   */
  takeResourceRef(
    credentials: BackstageCredentials | undefined,
    permission: Permission,
  ): string | string[] | undefined {
    const request = credentials && this.#requests.get(credentials);
    if (!request) {
      return undefined;
    }
    const item = request.items[request.next];
    request.next += 1;
    if (item?.permission?.name !== permission.name) {
      return undefined;
    }
    const ref = item.resourceRef;
    if (typeof ref === 'string') {
      return ref;
    }
    if (Array.isArray(ref) && ref.every(r => typeof r === 'string')) {
      return ref as string[];
    }
    return undefined;
  }
}
