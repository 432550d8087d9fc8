import { ServiceUnavailableError } from '@backstage/errors';
import {
  DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailableError,
} from '@identity-governance/plugin-scim-node';
import { ErrorRequestHandler } from 'express';

/**
 * Turns a query that failed because the database cannot be reached (a
 * restart, a dropped connection, an exhausted pool) into a 503 with
 * Retry-After, which the error handler after it renders as Backstage's error
 * JSON; other errors pass through unchanged.
 */
export function databaseUnavailableAs503(): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (!isDatabaseUnavailableError(error)) {
      next(error);
      return;
    }
    if (!res.headersSent) {
      res.setHeader(
        'Retry-After',
        String(DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS),
      );
    }
    next(
      new ServiceUnavailableError(
        'The identity index is temporarily unavailable (its database cannot be reached); retry later',
        error,
      ),
    );
  };
}
