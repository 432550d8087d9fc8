import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { databaseUnavailableAs503 } from './databaseUnavailableAs503';

function appThrowing(error: Error) {
  const app = express();
  app.get('/', () => {
    throw error;
  });
  app.use(databaseUnavailableAs503());
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    }).error({ showStackTraces: false }),
  );
  return app;
}

describe('databaseUnavailableAs503', () => {
  it('answers a lost database connection 503 with Retry-After in Backstage error JSON', async () => {
    const lost = Object.assign(new Error('terminating connection'), {
      code: '57P01',
    });
    const res = await request(appThrowing(lost)).get('/');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.error.name).toBe('ServiceUnavailableError');
    expect(res.body.error.message).toContain('temporarily unavailable');
    expect(res.body.error.stack).toBeUndefined();
  });

  it('leaves other errors to the error handler', async () => {
    const res = await request(appThrowing(new Error('boom'))).get('/');
    expect(res.status).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
  });
});
