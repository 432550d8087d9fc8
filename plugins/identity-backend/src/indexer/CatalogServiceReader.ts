import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EntityVersion, IdentityCatalogReader } from './IdentityCatalogReader';
import { entityVersionTag } from './entityVersionTag';

/** getEntitiesByRefs splits larger requests anyway. */
const REFS_PER_REQUEST = 1000;
const PAGE_SIZE = 1000;

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
        pageSize: PAGE_SIZE,
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
