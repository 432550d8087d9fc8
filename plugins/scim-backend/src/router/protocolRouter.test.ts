import request from 'supertest';
import {
  ENTERPRISE,
  GROUP_SCHEMA,
  OKTA_TOKEN,
  ScimClient,
  createUser,
  scimClient,
  startScimBackend,
  userBody,
} from '../__testUtils__/scimTestBackend';

describe('the SCIM protocol router: authentication, content types, unimplemented features, discovery', () => {
  let backend: Awaited<ReturnType<typeof startScimBackend>>['backend'];
  let client: ScimClient;

  beforeAll(async () => {
    ({ backend, client } = await startScimBackend());
  });

  afterAll(async () => {
    await backend.stop();
  });

  describe('authentication and content types', () => {
    it('rejects requests without a valid token with a SCIM 401', async () => {
      const res = await request(backend.server)
        .get('/api/scim/v2/Users')
        .set('Authorization', 'Bearer wrong');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
      expect(res.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: expect.any(String),
      });
      const none = await request(backend.server).get('/api/scim/v2/Users');
      expect(none.status).toBe(401);
    });

    it('accepts application/json as well as application/scim+json', async () => {
      const res = await request(backend.server)
        .post('/api/scim/v2/Users')
        .set('Authorization', `Bearer ${OKTA_TOKEN}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(userBody('json.user@example.com')));
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
    });

    it('rejects other content types and invalid JSON', async () => {
      const res = await request(backend.server)
        .post('/api/scim/v2/Users')
        .set('Authorization', `Bearer ${OKTA_TOKEN}`)
        .set('Content-Type', 'text/plain')
        .send('userName=x');
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('invalidSyntax');
      const bad = await request(backend.server)
        .post('/api/scim/v2/Users')
        .set('Authorization', `Bearer ${OKTA_TOKEN}`)
        .set('Content-Type', 'application/scim+json')
        .send('{"userName": ');
      expect(bad.status).toBe(400);
      expect(bad.body.scimType).toBe('invalidSyntax');
    });

    it('keeps each identity provider to its own resources', async () => {
      const user = await createUser(client, 'isolated@example.com');
      const okta = scimClient(backend.server, OKTA_TOKEN);
      expect((await okta.get(`/Users/${user.id}`)).status).toBe(404);
      expect((await client.get(`/Users/${user.id}`)).status).toBe(200);
    });
  });

  describe('optional features it does not implement', () => {
    it.each([
      ['get', '/Me'],
      ['patch', '/Me'],
      ['post', '/Bulk'],
      ['post', '/.search'],
      ['post', '/Users/.search'],
      ['post', '/Groups/.search'],
    ])('answers %s %s with a SCIM 501', async (method, path) => {
      const res =
        method === 'get'
          ? await client.get(path)
          : await (client as any)[method](path, {});
      expect(res.status).toBe(501);
      expect(res.headers['content-type']).toMatch(/application\/scim\+json/);
      expect(res.body).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '501',
        detail: expect.any(String),
      });
    });
  });

  describe('discovery endpoints', () => {
    it('serves ServiceProviderConfig that tells what is supported', async () => {
      const res = await client.get('/ServiceProviderConfig');
      expect(res.status).toBe(200);
      expect(res.body.patch.supported).toBe(true);
      expect(res.body.bulk.supported).toBe(false);
      expect(res.body.sort.supported).toBe(false);
      expect(res.body.etag.supported).toBe(true);
      expect(res.body.filter).toEqual({ supported: true, maxResults: 1000 });
      expect(res.body.authenticationSchemes[0].type).toBe('oauthbearertoken');
    });

    it('serves Schemas and ResourceTypes', async () => {
      const schemas = await client.get('/Schemas');
      expect(schemas.body.Resources.map((s: any) => s.id)).toEqual([
        'urn:ietf:params:scim:schemas:core:2.0:User',
        ENTERPRISE,
        GROUP_SCHEMA,
      ]);
      const user = await client.get(
        '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User',
      );
      expect(
        user.body.attributes.find((a: any) => a.name === 'userName'),
      ).toMatchObject({
        required: true,
        uniqueness: 'server',
        caseExact: false,
      });
      const types = await client.get('/ResourceTypes');
      expect(types.body.Resources).toEqual([
        expect.objectContaining({
          id: 'User',
          endpoint: '/Users',
          schemaExtensions: [{ schema: ENTERPRISE, required: false }],
        }),
        expect.objectContaining({ id: 'Group', endpoint: '/Groups' }),
      ]);
      expect((await client.get('/ResourceTypes/Group')).body.id).toBe('Group');
      expect((await client.get('/Schemas/nope')).status).toBe(404);
      expect((await client.get('/Nope')).status).toBe(404);
    });
  });
});
