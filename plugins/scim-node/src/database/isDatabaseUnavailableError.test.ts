import knexFactory from 'knex';
import { isDatabaseUnavailableError } from './isDatabaseUnavailableError';

function pgError(code: string, message = 'error'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailableError', () => {
  it.each([
    ['admin_shutdown', pgError('57P01', 'terminating connection')],
    ['crash_shutdown', pgError('57P02')],
    [
      'cannot_connect_now',
      pgError('57P03', 'the database system is starting up'),
    ],
    [
      // What PostgreSQL answered a new connection right after a restart,
      // when every replica's pools reconnected at once.
      'too_many_connections',
      pgError('53300', 'sorry, too many clients already'),
    ],
    ['connection_failure', pgError('08006')],
    ['connection exception class', pgError('08000')],
    ['refused socket', pgError('ECONNREFUSED', 'connect ECONNREFUSED')],
    ['reset socket', pgError('ECONNRESET', 'read ECONNRESET')],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    [
      // What a SCIM write's transaction threw when PostgreSQL restarted
      // under it (scripts/replicas/tests/postgresRestart.test.mjs).
      'a connection terminated under a query, as knex words it',
      new Error('ROLLBACK - Connection terminated unexpectedly'),
    ],
    [
      'a lost client under a query, as knex words it',
      new Error(
        'select * from "scim_users" - Client has encountered a connection error and is not queryable',
      ),
    ],
    [
      'knex pool timeout',
      Object.assign(
        new Error(
          'Knex: Timeout acquiring a connection. The pool is probably full.',
        ),
        { name: 'KnexTimeoutError' },
      ),
    ],
    [
      'aggregate of refused addresses',
      new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')]),
    ],
    [
      'wrapped in a cause',
      new Error('insert failed', { cause: pgError('57P01') }),
    ],
  ])('classifies %s as unavailable', (_name, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(true);
  });

  it.each([
    ['unique violation', pgError('23505', 'duplicate key value')],
    ['syntax error', pgError('42601', 'syntax error at or near')],
    ['serialization failure', pgError('40001')],
    ['disk full', pgError('53100', 'could not extend file')],
    ['plain error', new Error('boom')],
    [
      'a query whose values merely contain the words',
      pgError(
        '23505',
        `insert into "scim_groups" ("display_name") values ('x - Connection terminated') - duplicate key value violates unique constraint`,
      ),
    ],
    ['a string', 'ECONNREFUSED'],
    ['undefined', undefined],
  ])('does not classify %s as unavailable', (_name, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false);
  });

  it('classifies the error a real knex client throws for a refused connection', async () => {
    // Port 1 on loopback: nothing listens there, the connect is refused.
    const knex = knexFactory({
      client: 'pg',
      connection: 'postgresql://postgres@127.0.0.1:1/none',
      pool: { min: 0, max: 1 },
      acquireConnectionTimeout: 10_000,
    });
    try {
      const error = await knex.raw('select 1').then(
        () => undefined,
        e => e,
      );
      expect(error).toBeDefined();
      expect(isDatabaseUnavailableError(error)).toBe(true);
    } finally {
      await knex.destroy();
    }
  });
});
