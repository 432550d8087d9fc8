import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import net from 'node:net';
import { scimPlugin } from '../scimPlugin';
import {
  scimClient,
  scimConfig,
  userBody,
} from '../__testUtils__/scimTestBackend';

const target = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const describeWithPostgres = target ? describe : describe.skip;

/** A TCP relay to PostgreSQL that the test can cut, as a server restart does. */
function relayTo(port: number, host: string) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(client => {
    const upstream = net.connect(port, host);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  return {
    listen: (p = 0) =>
      new Promise<number>(resolve =>
        server.listen(p, '127.0.0.1', () =>
          resolve((server.address() as net.AddressInfo).port),
        ),
      ),
    cut: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        sockets.forEach(s => s.destroy());
        sockets.clear();
      }),
  };
}

describeWithPostgres('SCIM with its database unreachable', () => {
  const name = `scim_fault_${process.pid}`;
  let admin: Knex;

  beforeAll(async () => {
    admin = knexFactory({ client: 'pg', connection: target });
    await admin.raw(`create database ${name}`);
  });

  afterAll(async () => {
    await admin.raw(`drop database if exists ${name} with (force)`);
    await admin.destroy();
  });

  it('answers 503 with Retry-After in SCIM format, writes nothing, and recovers', async () => {
    const url = new URL(target!);
    const relay = relayTo(Number(url.port || 5432), url.hostname);
    const port = await relay.listen();
    const restarted = relayTo(Number(url.port || 5432), url.hostname);
    const knex = knexFactory({
      client: 'pg',
      connection: `postgresql://${url.username}@127.0.0.1:${port}/${name}`,
      acquireConnectionTimeout: 2_000,
    });
    const backend = await startTestBackend({
      features: [
        scimPlugin,
        mockServices.rootConfig.factory({ data: scimConfig }),
        mockServices.database.factory({ knex }),
      ],
    });
    try {
      const client = scimClient(backend.server);
      expect((await client.post('/Users', userBody('before'))).status).toBe(
        201,
      );

      await relay.cut();
      const res = await client.post('/Users', userBody('during'));
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '503',
        detail: expect.stringContaining('temporarily unavailable'),
      });

      // The same port again, as the restarted server: the plugin answers
      // without a restart and nothing of the failed create exists.
      await restarted.listen(port);
      const listed = await client.get('/Users?filter=userName eq "during"');
      expect(listed.status).toBe(200);
      expect(listed.body.totalResults).toBe(0);
      expect((await client.post('/Users', userBody('during'))).status).toBe(
        201,
      );
    } finally {
      await backend.stop();
      await restarted.cut();
      await knex.destroy();
    }
  });
});
