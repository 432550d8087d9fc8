import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import catalogModuleDemoDirectoryDrift from '.';
import { isOrphan, processingErrors } from './runDirectoryDrift';

// Waits for the catalog's own processing; bounded so a regression fails
// instead of hanging.
async function waitForEntity(
  backend: TestBackend,
  name: string,
  predicate: (entity: Entity) => boolean,
): Promise<Entity> {
  const deadline = Date.now() + 60_000;
  let last: Entity | undefined;
  while (Date.now() < deadline) {
    const res = await request(backend.server)
      .get(`/api/catalog/entities/by-name/user/default/${name}`)
      .set('authorization', mockCredentials.user.header());
    if (res.status === 200) {
      last = res.body;
      if (predicate(res.body)) {
        return res.body;
      }
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(
    `user:default/${name} never matched; last seen: ${JSON.stringify(last)}`,
  );
}

describe('catalogModuleDemoDirectoryDrift', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleDemoDirectoryDrift,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              orphanStrategy: 'keep',
              rules: [{ allow: ['User', 'Group', 'Location'] }],
            },
            demo: { directoryDrift: { enabled: true } },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('orphans olive.orphan once the export stops emitting her', async () => {
    const olive = await waitForEntity(backend, 'olive.orphan', isOrphan);

    expect(olive.metadata.annotations).toMatchObject({
      'backstage.io/orphan': 'true',
      'legacy-hr.example.com/employee-number': 'LH-1001',
    });
    expect(processingErrors(olive)).toEqual([]);
  }, 90_000);

  it('stores a processing error on eric.error and keeps his last good version', async () => {
    const eric = await waitForEntity(
      backend,
      'eric.error',
      e => processingErrors(e).length > 0,
    );

    expect(processingErrors(eric)).toEqual([
      expect.stringContaining('./missing-bio.md'),
    ]);
    expect(eric.metadata.description).toBe('Payroll specialist.');
    expect(isOrphan(eric)).toBe(false);
  }, 90_000);

  it('leaves the steady user of the same export alone', async () => {
    const lars = await waitForEntity(backend, 'lars.legacy', () => true);

    expect(isOrphan(lars)).toBe(false);
    expect(processingErrors(lars)).toEqual([]);
    expect(lars.relations).toEqual(
      expect.arrayContaining([
        { type: 'memberOf', targetRef: 'group:default/finance' },
      ]),
    );
  }, 90_000);
});
