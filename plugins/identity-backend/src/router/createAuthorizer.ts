import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { Request } from 'express';

/**
 * Checks a permission for the request's caller, throwing `NotAllowedError`
 * unless the answer is ALLOW; returns the caller's credentials.
 */
export type Authorizer = (
  req: Request,
  permission: BasicPermission | ResourcePermission,
  resourceRef?: string,
) => Promise<BackstageCredentials>;

/**
 * Asks the same question as an {@link Authorizer} without refusing: the
 * caller's credentials and whether the answer is ALLOW, for endpoints that
 * serve everyone but show more to some. `allow` limits the principals
 * accepted, as `httpAuth.credentials` does (401 for others).
 */
export type PermissionDecider = (
  req: Request,
  permission: BasicPermission | ResourcePermission,
  options?: { resourceRef?: string; allow?: Array<'user' | 'service'> },
) => Promise<{ credentials: BackstageCredentials; allowed: boolean }>;

export function createPermissionDecider(
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
): PermissionDecider {
  return async (req, permission, options) => {
    const credentials: BackstageCredentials = await httpAuth.credentials(
      req,
      options?.allow ? { allow: options.allow } : undefined,
    );
    const resourceRef = options?.resourceRef;
    const [decision] = await permissions.authorize(
      [
        resourceRef
          ? { permission: permission as ResourcePermission, resourceRef }
          : { permission: permission as BasicPermission },
      ],
      { credentials },
    );
    return {
      credentials,
      allowed: decision.result === AuthorizeResult.ALLOW,
    };
  };
}

export function createAuthorizer(
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
): Authorizer {
  const decide = createPermissionDecider(httpAuth, permissions);
  return async (req, permission, resourceRef) => {
    const { credentials, allowed } = await decide(req, permission, {
      resourceRef,
    });
    if (!allowed) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return credentials;
  };
}
