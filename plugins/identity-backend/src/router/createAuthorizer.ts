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

export function createAuthorizer(
  httpAuth: HttpAuthService,
  permissions: PermissionsService,
): Authorizer {
  return async (req, permission, resourceRef) => {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [
        resourceRef
          ? { permission: permission as ResourcePermission, resourceRef }
          : { permission: permission as BasicPermission },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
    return credentials;
  };
}
