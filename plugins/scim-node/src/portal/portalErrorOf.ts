import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** The parts of a Backstage error body (`{ error: { name, message } }`). */
interface RemoteError {
  name?: string;
  message?: string;
}

/**
 * Reads a Backstage error body. Undefined when the body is not one, which is
 * how a 404 from a backend without the scim plugin (the root router's empty
 * 404) is told from the plugin's own NotFoundError.
 */
async function readRemoteError(
  response: Response,
): Promise<RemoteError | undefined> {
  try {
    const text = await response.text();
    if (!text) {
      return undefined;
    }
    const error = JSON.parse(text)?.error;
    if (error && typeof error === 'object') {
      return {
        name: typeof error.name === 'string' ? error.name : undefined,
        message: typeof error.message === 'string' ? error.message : undefined,
      };
    }
  } catch {
    // Not JSON: not an answer of the scim plugin's error handler.
  }
  return undefined;
}

/**
 * The `@backstage/errors` error for a failed answer of the scim plugin to an
 * attempt to do `what` at `url`.
 */
export async function portalErrorOf(
  response: Response,
  url: string,
  what: string,
): Promise<Error> {
  const remote = await readRemoteError(response);
  const detail = remote?.message ? `: ${remote.message}` : '';
  switch (response.status) {
    case 404:
      if (!remote) {
        // An empty 404 comes from the backend's root router: no plugin
        // `scim` is mounted there.
        return new NotImplementedError(
          `Cannot ${what}: the scim plugin does not answer at ${url}; is @identity-governance/plugin-scim-backend installed in this backend?`,
        );
      }
      return new NotFoundError(`The scim plugin cannot ${what}${detail}`);
    case 401:
    case 403:
      return new NotAllowedError(
        `The scim plugin refused to ${what} (HTTP ${response.status})${detail}`,
      );
    case 400:
      return new InputError(
        `The scim plugin rejected the request to ${what}${detail}`,
      );
    case 409:
      return new ConflictError(
        `The scim plugin could not ${what}, it conflicts with a concurrent change${detail}`,
      );
    default:
      return new ServiceUnavailableError(
        `The scim plugin failed to ${what} (HTTP ${response.status})${detail}`,
      );
  }
}
