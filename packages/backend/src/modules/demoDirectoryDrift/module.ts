import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { writeLegacyHrExport } from './legacyHrExport';
import { LegacyHrExportProvider } from './LegacyHrExportProvider';
import { LegacyHrExportRefreshKeyProcessor } from './LegacyHrExportRefreshKeyProcessor';
import { runDirectoryDrift } from './runDirectoryDrift';

/**
 * Demo only: simulates a third directory (a "legacy HR export") that drifts
 * after it was ingested, so the demo catalog holds a real orphaned user
 * (`olive.orphan`) and a real processing error (`eric.error`). Both states
 * only arise from the catalog's own processing, which is why they cannot
 * simply be written into the demo files. Enabled by
 * `demo.directoryDrift.enabled`.
 */
export const catalogModuleDemoDirectoryDrift = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'demo-directory-drift',
  register(reg) {
    reg.registerInit({
      deps: {
        catalogProcessing: catalogProcessingExtensionPoint,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        catalogProcessing,
        catalog,
        auth,
        config,
        logger,
        lifecycle,
      }) {
        if (!config.getOptionalBoolean('demo.directoryDrift.enabled')) {
          return;
        }
        if (config.getOptionalString('catalog.orphanStrategy') !== 'keep') {
          logger.warn(
            "Directory drift: catalog.orphanStrategy is not 'keep', so the catalog will delete olive.orphan soon after it is orphaned",
          );
        }

        const directory = await exportDirectory(
          config.getOptionalString('backend.baseUrl'),
        );
        const exportFile = join(directory, 'legacy-hr-export.yaml');
        await writeLegacyHrExport(exportFile, 1);
        const provider = new LegacyHrExportProvider(exportFile);
        catalogProcessing.addEntityProvider(provider);
        catalogProcessing.addProcessor(
          new LegacyHrExportRefreshKeyProcessor(exportFile),
        );

        const abort = new AbortController();
        lifecycle.addStartupHook(() => {
          // Not awaited: startup must not wait for catalog processing.
          runDirectoryDrift({
            catalog,
            auth,
            logger,
            exportFile,
            locationEntityRef: provider.locationEntityRef,
            refreshExport: () => provider.refresh(),
            signal: abort.signal,
          }).catch(error =>
            logger.error(`Directory drift failed, ${stringifyError(error)}`),
          );
        });
        lifecycle.addShutdownHook(async () => {
          abort.abort();
          await fs.rm(directory, { recursive: true, force: true });
        });
      },
    });
  },
});

/**
 * The folder of the export. A backend with a persistent database must find
 * the same file (hence the same Location) at its next start, or the users of
 * the previous start conflict with the new ones; so it is derived from the
 * backend's base URL. Without one (tests) each start gets a fresh folder.
 */
async function exportDirectory(baseUrl: string | undefined): Promise<string> {
  const prefix = join(os.tmpdir(), 'backstage-demo-directory-drift-');
  if (!baseUrl) {
    return fs.mkdtemp(prefix);
  }
  const directory = `${prefix}${createHash('sha256')
    .update(baseUrl)
    .digest('hex')
    .slice(0, 12)}`;
  await fs.mkdir(directory, { recursive: true });
  return directory;
}
