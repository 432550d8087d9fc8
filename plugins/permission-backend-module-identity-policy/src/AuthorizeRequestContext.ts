import express from 'express';
import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Permission } from '@backstage/plugin-permission-common';

interface RequestItems {
  items: Array<{ permission?: { name?: unknown }; resourceRef?: unknown }>;
  next: number;
  request: express.Request;
}

/** What the policy learns of the batch item it is deciding. */
export interface AuthorizeItemContext {
  resourceRef?: string | string[];
  /** The `POST /authorize` request, for the decision's audit record. */
  request?: express.Request;
}

/**
 * Gives the policy the resourceRef and the request of the batch item it is
 * deciding, for the decision's audit record.
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
          this.#requests.set(credentials, { items, next: 0, request: req });
          next();
        },
        // The plugin's route reports bad credentials itself.
        () => next(),
      );
    });
    return router;
  }

  /**
   * The batch item being decided; call once per `handle`, synchronously at
   * its start.
   */
  take(
    credentials: BackstageCredentials | undefined,
    permission: Permission,
  ): AuthorizeItemContext {
    const batch = credentials && this.#requests.get(credentials);
    if (!batch) {
      return {};
    }
    const item = batch.items[batch.next];
    batch.next += 1;
    if (item?.permission?.name !== permission.name) {
      // The request is still the one being decided: the credentials object
      // is the request's own.
      return { request: batch.request };
    }
    const ref = item.resourceRef;
    if (typeof ref === 'string') {
      return { resourceRef: ref, request: batch.request };
    }
    if (Array.isArray(ref) && ref.every(r => typeof r === 'string')) {
      return { resourceRef: ref as string[], request: batch.request };
    }
    return { request: batch.request };
  }
}
