import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EntityVersion, IdentityCatalogReader } from './IdentityCatalogReader';
import { entityVersionTag } from './entityVersionTag';

/** getEntitiesByRefs splits larger requests anyway. */
const REFS_PER_REQUEST = 1000;
/**
 * Versions are five short fields; pages of 10,000 list 55,000 users and
 * groups in 1.5 s where pages of 1,000 took 3.4 s (PostgreSQL, 2 cores),
 * each page costing the catalog a query and a request of its own.
 */
const VERSIONS_PAGE_SIZE = 10000;

/** Reads users and groups with the plugin's own credentials. */
export class CatalogServiceReader implements IdentityCatalogReader {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async listVersions(): Promise<EntityVersion[]> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const versions: EntityVersion[] = [];
    for await (const page of this.catalog.streamEntities(
      {
        filter: { kind: ['User', 'Group'] },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.uid',
          'metadata.etag',
        ],
        pageSize: VERSIONS_PAGE_SIZE,
      },
      { credentials },
    )) {
      for (const entity of page) {
        const kind = entity.kind.toLocaleLowerCase('en-US');
        if (kind !== 'user' && kind !== 'group') {
          continue;
        }
        versions.push({
          kind,
          entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
          etag: entityVersionTag(entity),
        });
      }
    }
    return versions;
  }

  async getEntities(entityRefs: string[]): Promise<Entity[]> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    for (let i = 0; i < entityRefs.length; i += REFS_PER_REQUEST) {
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: entityRefs.slice(i, i + REFS_PER_REQUEST) },
        { credentials },
      );
      for (const item of items) {
        if (item) {
          entities.push(item);
        }
      }
    }
    return entities;
  }
}
