import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
  locationSpecToLocationEntity,
} from '@backstage/plugin-catalog-node';
import { LEGACY_HR_EXPORT_REFRESH_KEY } from './LegacyHrExportRefreshKeyProcessor';

/**
 * Registers the legacy HR export file with the catalog as a Location entity.
 * A provider (rather than `catalog.locations`) owns it because the file lives
 * in a temporary folder chosen at startup.
 */
export class LegacyHrExportProvider implements EntityProvider {
  readonly #locationEntity: Entity;
  #connection?: EntityProviderConnection;

  constructor(exportFile: string) {
    this.#locationEntity = locationSpecToLocationEntity({
      location: { type: 'file', target: exportFile },
    });
  }

  /** The ref of the Location entity this provider emits. */
  get locationEntityRef(): string {
    return stringifyEntityRef(this.#locationEntity);
  }

  getProviderName(): string {
    return 'demo-directory-drift';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await connection.applyMutation({
      type: 'full',
      entities: [
        {
          entity: this.#locationEntity,
          locationKey: `${this.getProviderName()}:legacy-hr-export`,
        },
      ],
    });
  }

  /**
   * Asks the catalog to process the export's Location and every entity read
   * from it now, orphans included.
   */
  async refresh(): Promise<void> {
    if (!this.#connection) {
      throw new Error('The legacy HR export provider is not connected yet');
    }
    await this.#connection.refresh({ keys: [LEGACY_HR_EXPORT_REFRESH_KEY] });
  }
}
