import { Entity } from '@backstage/catalog-model';
import {
  EntityVersion,
  IdentityCatalogReader,
} from '../indexer/IdentityCatalogReader';
import { entityVersionTag } from '../indexer/entityVersionTag';

/** An in-memory catalog for the indexer. */
export class FakeCatalogReader implements IdentityCatalogReader {
  entities: Entity[];
  constructor(entities: Entity[]) {
    this.entities = entities;
  }
  private refOf(e: Entity) {
    return `${e.kind}:default/${e.metadata.name}`.toLocaleLowerCase('en-US');
  }
  /** Entities per page of `listVersions`. */
  pageSize = 4;
  async *listVersions(): AsyncIterable<EntityVersion[]> {
    const versions = this.entities.map(e => ({
      kind: e.kind.toLocaleLowerCase('en-US') as 'user' | 'group',
      entityRef: this.refOf(e),
      etag: entityVersionTag(e),
    }));
    for (let i = 0; i < versions.length; i += this.pageSize) {
      yield versions.slice(i, i + this.pageSize);
    }
  }
  async getEntities(refs: string[]): Promise<Entity[]> {
    const wanted = new Set(refs);
    return this.entities.filter(e => wanted.has(this.refOf(e)));
  }
}
