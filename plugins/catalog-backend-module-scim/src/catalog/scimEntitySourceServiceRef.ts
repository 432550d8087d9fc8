import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DeferredEntity } from '@backstage/plugin-catalog-node';
import { ScimChange } from '../store/ScimStore';

/** A committed SCIM change, tagged with the IdP that made it. */
export interface ScimChangeEvent extends ScimChange {
  idp: string;
}

/** A batch of catalog changes computed from SCIM changes. */
export interface ScimEntityDelta {
  added: DeferredEntity[];
  removed: { entityRef: string; locationKey: string }[];
}

/** What the scim plugin offers the catalog module. */
export interface ScimEntitySource {
  /** Every entity the store emits now, for a full mutation. */
  readEntities(): Promise<DeferredEntity[]>;
  /** The catalog changes that follow from the given SCIM changes. */
  readDelta(changes: ScimChangeEvent[]): Promise<ScimEntityDelta>;
  /** Called after every committed SCIM change. Returns an unsubscribe. */
  subscribe(listener: (change: ScimChangeEvent) => void): () => void;
}

/**
 * Hands the scim plugin's entity source to the catalog module. The two live
 * in different plugins (scim and catalog), each with its own plugin-scoped
 * database, so they meet through this root-scoped service instead of
 * reading each other's tables. Both must run in the same backend process.
 */
export interface ScimEntitySourceRegistry {
  register(source: ScimEntitySource): void;
  /** Resolves once the scim plugin has registered its source. */
  get(): Promise<ScimEntitySource>;
}

class DefaultScimEntitySourceRegistry implements ScimEntitySourceRegistry {
  private source?: ScimEntitySource;
  private readonly waiting: ((source: ScimEntitySource) => void)[] = [];

  register(source: ScimEntitySource) {
    this.source = source;
    this.waiting.splice(0).forEach(resolve => resolve(source));
  }

  get(): Promise<ScimEntitySource> {
    if (this.source) {
      return Promise.resolve(this.source);
    }
    return new Promise(resolve => this.waiting.push(resolve));
  }
}

export const scimEntitySourceServiceRef =
  createServiceRef<ScimEntitySourceRegistry>({
    id: 'identity-governance.scim.entity-source',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        factory: () => new DefaultScimEntitySourceRegistry(),
      }),
  });
