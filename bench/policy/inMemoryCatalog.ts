import { createHash } from 'node:crypto';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';

/**
 * The two catalog reads the membership resolver makes, served from indexed
 * in-memory maps. (`catalogServiceMock` rebuilds its ref index on every
 * `getEntitiesByRefs` call, which at 22,000 entities would measure the mock.)
 * Entities are deep-copied per call, as the HTTP client would hand out fresh
 * objects, and carry an etag, as the catalog's do. The group listing returns
 * only the fields asked for when they are the few the resolver lists with.
 */
export function inMemoryCatalogFactory(input: Entity[]) {
  const entities = input.map(e => ({
    ...e,
    metadata: {
      ...e.metadata,
      etag: createHash('sha1').update(JSON.stringify(e)).digest('hex'),
    },
  }));
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const groups = entities.filter(e => e.kind === 'Group');
  const copy = (e: Entity | undefined) =>
    e ? (JSON.parse(JSON.stringify(e)) as Entity) : undefined;
  const service: Partial<CatalogService> = {
    async getEntitiesByRefs(request) {
      return { items: request.entityRefs.map(ref => copy(byRef.get(ref))) };
    },
    async *streamEntities(request) {
      const listing = request?.fields?.every(f =>
        [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.etag',
        ].includes(f),
      );
      const project = (g: Entity): Entity =>
        listing
          ? ({
              kind: g.kind,
              metadata: {
                name: g.metadata.name,
                namespace: g.metadata.namespace,
                etag: g.metadata.etag,
              },
            } as Entity)
          : copy(g)!;
      for (let i = 0; i < groups.length; i += 1000) {
        yield groups.slice(i, i + 1000).map(project);
      }
    },
  };
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => service as CatalogService,
  });
}
