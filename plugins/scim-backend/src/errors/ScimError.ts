import { CustomErrorBase } from '@backstage/errors';

/** The scimType values of RFC 7644 section 3.12 that this service uses. */
export type ScimErrorType =
  | 'invalidFilter'
  | 'invalidSyntax'
  | 'invalidValue'
  | 'invalidPath'
  | 'noTarget'
  | 'mutability'
  | 'uniqueness'
  | 'tooMany'
  | 'invalidVers';

/**
 * An error that maps one to one onto a SCIM Error response body. Thrown by the
 * service and the store, rendered by the router.
 */
export class ScimError extends CustomErrorBase {
  readonly status: number;
  readonly scimType?: ScimErrorType;

  constructor(status: number, message: string, scimType?: ScimErrorType) {
    super(message);
    this.name = 'ScimError';
    this.status = status;
    this.scimType = scimType;
  }

  static badRequest(scimType: ScimErrorType, message: string): ScimError {
    return new ScimError(400, message, scimType);
  }

  static notFound(message: string): ScimError {
    return new ScimError(404, message);
  }

  static conflict(message: string): ScimError {
    return new ScimError(409, message, 'uniqueness');
  }

  static preconditionFailed(message: string): ScimError {
    return new ScimError(412, message);
  }
}
