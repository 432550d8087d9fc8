import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';

/** The refresh key carried by the export's Location and by its users. */
export const LEGACY_HR_EXPORT_REFRESH_KEY =
  'demo-directory-drift:legacy-hr-export';

/**
 * Tags every entity read from the legacy HR export (and the export's own
 * Location) with {@link LEGACY_HR_EXPORT_REFRESH_KEY}. The catalog's refresh
 * endpoint walks an entity's parents and answers 404 for an orphan, so a
 * refresh key is the only way to have an orphan processed again before the
 * next processing interval; without that reprocessing the orphan is never
 * stitched as one.
 */
export class LegacyHrExportRefreshKeyProcessor implements CatalogProcessor {
  readonly #exportFile: string;

  constructor(exportFile: string) {
    this.#exportFile = exportFile;
  }

  getProcessorName(): string {
    return 'LegacyHrExportRefreshKeyProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (location.type === 'file' && location.target === this.#exportFile) {
      emit(processingResult.refresh(LEGACY_HR_EXPORT_REFRESH_KEY));
    }
    return entity;
  }
}
