import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseIdentityStore } from '../store/DatabaseIdentityStore';
import { DefaultIdentityService } from '../service/DefaultIdentityService';
import { ScimAnnotationProvisioningSource } from '../service/ScimAnnotationProvisioningSource';
import { engineSettings } from '../__testUtils__/engineSettings';
import { FakeCatalogReader } from '../__testUtils__/FakeCatalogReader';
import { flaggedOrg } from '../__testUtils__/orgEntities';
import { IdentityIndexer } from './IdentityIndexer';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const STALE_AFTER_MS = 5 * 60_000;

/** A catalog that can become unreachable, as from a replica whose calls fail. */
class UnreachableCatalogReader extends FakeCatalogReader {
  failure?: Error;
  /** Called as the listing fails, before it throws. */
  onFailure?: () => void;
  async *listVersions() {
    if (this.failure) {
      this.onFailure?.();
      throw this.failure;
    }
    yield* super.listVersions();
  }
}

describe.each(databases.eachSupportedId())(
  'a failing index refresh on %s',
  id => {
    async function setup() {
      const knex = await databases.init(id);
      const store = await DatabaseIdentityStore.create({
        database: mockServices.database({ knex }),
      });
      const reader = new UnreachableCatalogReader(flaggedOrg());
      const logger = mockServices.logger.mock();
      const indexer = new IdentityIndexer(
        store,
        reader,
        logger,
        engineSettings(),
      );
      let now: Date | undefined;
      const service = new DefaultIdentityService({
        store,
        catalog: catalogServiceMock(),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        provisioning: new ScimAnnotationProvisioningSource(),
        staleAfterMs: STALE_AFTER_MS,
        now: () => now ?? new Date(),
      });
      const setNow = (date: Date | undefined) => {
        now = date;
      };
      // Due at once, whatever the pace of the last refresh.
      const failNextRefresh = async (message: string) => {
        reader.failure = new Error(message);
        await store.requestRefresh(new Date());
        await new Promise(r => setTimeout(r, 5));
        await expect(indexer.refreshIfDue()).rejects.toThrow(message);
      };
      return {
        store,
        reader,
        logger,
        indexer,
        service,
        setNow,
        failNextRefresh,
      };
    }

    it('says the index was never built until a refresh finishes', async () => {
      const { indexer, service } = await setup();
      expect(await service.getSummary()).toMatchObject({
        stale: true,
        indexedAt: undefined,
        refreshFailure: undefined,
      });
      await indexer.refreshIfDue();
      expect(await service.getSummary()).toMatchObject({
        stale: false,
        totalUsers: 9,
      });
    });

    it('keeps the data, says it is stale while refreshes fail, and clears that when one finishes', async () => {
      const { reader, indexer, service, failNextRefresh } = await setup();
      await indexer.refreshIfDue();
      const fresh = await service.getSummary();
      expect(fresh.stale).toBe(false);

      await failNextRefresh('connect ECONNREFUSED 127.0.0.1:7007');
      const first = await service.getSummary();
      expect(first).toMatchObject({
        stale: true,
        totalUsers: 9,
        indexedAt: fresh.indexedAt,
        refreshFailure: {
          message: 'Error: connect ECONNREFUSED 127.0.0.1:7007',
        },
      });
      expect(first.refreshFailure!.at).toBe(first.refreshFailure!.since);

      await failNextRefresh('Request failed with 503 Service Unavailable');
      const second = await service.getSummary();
      // Since the first failure; the message of the last one.
      expect(second.refreshFailure).toEqual({
        since: first.refreshFailure!.since,
        at: expect.any(String),
        message: 'Error: Request failed with 503 Service Unavailable',
      });
      expect(Date.parse(second.refreshFailure!.at)).toBeGreaterThan(
        Date.parse(first.refreshFailure!.since),
      );

      reader.failure = undefined;
      await indexer.refresh();
      const recovered = await service.getSummary();
      expect(recovered.stale).toBe(false);
      expect(recovered.refreshFailure).toBeUndefined();
      expect(Date.parse(recovered.indexedAt!)).toBeGreaterThan(
        Date.parse(fresh.indexedAt!),
      );
    });

    it('does not count a refresh cut short by the backend shutting down as a failure', async () => {
      const { store, reader, logger, indexer, service } = await setup();
      await indexer.refreshIfDue();
      const fresh = await service.getSummary();

      // The scheduler aborts the task's signal at shutdown, and the catalog
      // then answers 503 while it stops.
      const shutdown = new AbortController();
      reader.failure = new Error(
        'Request failed with 503 Service Unavailable, Service is shutting down',
      );
      reader.onFailure = () => shutdown.abort();
      await store.requestRefresh(new Date());
      await new Promise(r => setTimeout(r, 5));
      await expect(
        indexer.refreshIfDue(new Date(), shutdown.signal),
      ).resolves.toBeUndefined();

      expect(await service.getSummary()).toMatchObject({
        stale: false,
        indexedAt: fresh.indexedAt,
        refreshFailure: undefined,
      });
      expect(logger.error).not.toHaveBeenCalled();
      expect(logger.warn).not.toHaveBeenCalled();
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(/refresh stopped, the backend is shutting down/),
      );

      // Not yet shutting down: the same answer is a failure, as before.
      reader.onFailure = undefined;
      await expect(
        indexer.refreshIfDue(new Date(), new AbortController().signal),
      ).rejects.toThrow('503');
      expect((await service.getSummary()).refreshFailure).toBeDefined();
    });

    it('keeps a failure message short', async () => {
      const { indexer, service, failNextRefresh } = await setup();
      await indexer.refreshIfDue();
      await failNextRefresh(`upstream said ${'x'.repeat(5000)}`);
      const { refreshFailure } = await service.getSummary();
      expect(refreshFailure!.message).toHaveLength(500);
    });

    it('says the index is stale when no refresh finished within staleAfter, failures or not', async () => {
      const { indexer, service, setNow } = await setup();
      await indexer.refreshIfDue();
      const { indexedAt } = await service.getSummary();
      const at = Date.parse(indexedAt!);
      setNow(new Date(at + STALE_AFTER_MS));
      expect((await service.getSummary()).stale).toBe(false);
      setNow(new Date(at + STALE_AFTER_MS + 1));
      expect(await service.getSummary()).toMatchObject({
        stale: true,
        refreshFailure: undefined,
      });
    });
  },
);
