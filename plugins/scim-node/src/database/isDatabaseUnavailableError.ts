/** SQLSTATE codes and classes of pg that say the server, not the query, failed. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the server is stopping or restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up
  // too_many_connections: the server refuses a new connection while
  // max_connections are open, as right after a restart, when every
  // replica's pools reconnect at once (seen in
  // scripts/replicas/tests/postgresRestart.test.mjs)
  '53300',
]);
const CONNECTION_EXCEPTION_CLASS = '08';

const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Messages of pg and knex for a connection lost or never acquired; these
 * errors carry no code. Knex prefixes a failed query's message with the
 * query and its values (`ROLLBACK - Connection terminated unexpectedly`,
 * seen when PostgreSQL restarted during a SCIM write), so each is matched at
 * the end of the message, whole or after knex's ` - `: a value in the query
 * cannot end the message, pg's text comes after it.
 */
const UNAVAILABLE_MESSAGES = [
  /(^| - )Connection terminated( unexpectedly| due to connection timeout)?$/i,
  /(^| - )Client has encountered a connection error and is not queryable$/i,
  /(^| - )Client was closed and is not queryable$/i,
  /^Knex: Timeout acquiring a connection/i,
];

function isUnavailable(error: object): boolean {
  const { code, name, message } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code)) {
      return true;
    }
    if (code.length === 5 && code.startsWith(CONNECTION_EXCEPTION_CLASS)) {
      return true;
    }
  }
  if (name === 'KnexTimeoutError') {
    return true;
  }
  return (
    typeof message === 'string' &&
    UNAVAILABLE_MESSAGES.some(pattern => pattern.test(message))
  );
}

/**
 * Whether an error thrown by a knex query means the database could not be
 * reached (refused, dropped or restarting connections, a pool that could not
 * acquire one) rather than that the query was wrong. Such a request may
 * succeed when retried, so plugins answer it 503 with Retry-After instead of
 * 500. Looks through `cause` and AggregateError's `errors`, as Node's
 * connection attempts to several addresses nest the socket error there.
 *
 * @public
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || typeof current !== 'object' || seen.has(current)) {
      continue;
    }
    seen.add(current);
    if (isUnavailable(current)) {
      return true;
    }
    const { cause, errors } = current as { cause?: unknown; errors?: unknown };
    queue.push(cause);
    if (Array.isArray(errors)) {
      queue.push(...errors);
    }
  }
  return false;
}

/**
 * Seconds a client is told to wait (Retry-After) before retrying a request
 * that failed because the database was unavailable: about the time a
 * PostgreSQL restart takes.
 *
 * @public
 */
export const DATABASE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
