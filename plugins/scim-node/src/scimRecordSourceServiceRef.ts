import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ScimRecordSource } from './ScimRecordSource';

/**
 * Hands the scim plugin's record source to the catalog module. The two live
 * in different plugins (scim and catalog), each with its own plugin-scoped
 * database, so they meet through this root-scoped service instead of
 * reading each other's tables. Both must run in the same backend process.
 *
 * @public
 */
export interface ScimRecordSourceRegistry {
  /** Called once by the scim plugin. */
  register(source: ScimRecordSource): void;
  /** Resolves once the scim plugin has registered its source. */
  get(): Promise<ScimRecordSource>;
}

class DefaultScimRecordSourceRegistry implements ScimRecordSourceRegistry {
  private source?: ScimRecordSource;
  private readonly waiting: ((source: ScimRecordSource) => void)[] = [];

  register(source: ScimRecordSource) {
    this.source = source;
    this.waiting.splice(0).forEach(resolve => resolve(source));
  }

  get(): Promise<ScimRecordSource> {
    if (this.source) {
      return Promise.resolve(this.source);
    }
    return new Promise(resolve => this.waiting.push(resolve));
  }
}

/**
 * The meeting point of the scim plugin and the catalog module
 * (see {@link ScimRecordSourceRegistry}).
 *
 * @public
 */
export const scimRecordSourceServiceRef =
  createServiceRef<ScimRecordSourceRegistry>({
    id: 'identity-governance.scim.record-source',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        factory: () => new DefaultScimRecordSourceRegistry(),
      }),
  });
