import { Entity } from '@backstage/catalog-model';

/** The version of one User or Group entity in the catalog. */
export interface EntityVersion {
  kind: 'user' | 'group';
  entityRef: string;
  etag: string;
}

/** What the indexer reads from the catalog. */
export interface IdentityCatalogReader {
  /**
   * Every User and Group, with only what tells whether it changed, a page at
   * a time: the indexer pauses between pages (see IdentityIndexer).
   */
  listVersions(): AsyncIterable<EntityVersion[]>;
  /** Full entities; refs the catalog no longer has are left out. */
  getEntities(entityRefs: string[]): Promise<Entity[]>;
}
