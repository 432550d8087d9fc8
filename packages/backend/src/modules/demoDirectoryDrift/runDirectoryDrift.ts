import { setTimeout as sleep } from 'node:timers/promises';
import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ENTITY_STATUS_CATALOG_PROCESSING_TYPE } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { stringifyError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { LEGACY_HR_USERS, writeLegacyHrExport } from './legacyHrExport';

/** Options for {@link runDirectoryDrift}. */
export type RunDirectoryDriftOptions = {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Where the legacy HR export lives (version 1 is already written). */
  exportFile: string;
  /** The Location entity that reads {@link RunDirectoryDriftOptions.exportFile}. */
  locationEntityRef: string;
  /** Has the catalog process that Location and its entities now. */
  refreshExport: () => Promise<void>;
  /** Aborted at shutdown. */
  signal: AbortSignal;
  /** How long to wait for version 1 to be ingested. */
  ingestTimeoutMs?: number;
  /** How long to wait for the drift to show after version 2 is written. */
  driftTimeoutMs?: number;
  /** How often to look at the catalog. */
  pollIntervalMs?: number;
};

/** How the drift ended. */
export type DirectoryDriftOutcome = 'drifted' | 'timed-out' | 'aborted';

/** True when the stitcher marked the entity as orphaned. */
export function isOrphan(entity: Entity | undefined): boolean {
  return entity?.metadata.annotations?.['backstage.io/orphan'] === 'true';
}

/** The processing error messages the catalog stored on an entity. */
export function processingErrors(entity: Entity | undefined): string[] {
  return ((entity as AlphaEntity | undefined)?.status?.items ?? [])
    .filter(
      item =>
        item.type === ENTITY_STATUS_CATALOG_PROCESSING_TYPE &&
        item.level === 'error',
    )
    .map(item => item.message);
}

/**
 * Lets the legacy HR export drift the way real directories do: once version 1
 * is in the catalog, version 2 drops one user and breaks another. The catalog
 * then orphans the dropped user and records a processing error on the broken
 * one, keeping its last good version: exactly the records the Identity page
 * must be able to show. Refreshes are requested so this happens in seconds
 * rather than at the next processing interval.
 */
export async function runDirectoryDrift(
  options: RunDirectoryDriftOptions,
): Promise<DirectoryDriftOutcome> {
  const { catalog, auth, logger, signal } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const credentials = await auth.getOwnServiceCredentials();
  const fetchUsers = () =>
    Promise.all([
      getEntity(catalog, LEGACY_HR_USERS.orphan, credentials),
      getEntity(catalog, LEGACY_HR_USERS.error, credentials),
    ]);

  try {
    logger.info(
      `Directory drift: legacy HR export version 1 written to ${options.exportFile}; waiting for ${LEGACY_HR_USERS.orphan} and ${LEGACY_HR_USERS.error} to be ingested`,
    );
    const ingested = await pollUntil(
      async () => {
        const [orphan, error] = await fetchUsers();
        return Boolean(orphan && error);
      },
      options.ingestTimeoutMs ?? 180_000,
      pollIntervalMs,
      signal,
      logger,
    );
    if (!ingested) {
      logger.warn(
        'Directory drift: version 1 of the legacy HR export was not ingested in time; leaving it as is',
      );
      return 'timed-out';
    }

    await writeLegacyHrExport(options.exportFile, 2);
    logger.info(
      `Directory drift: legacy HR export version 2 written: ${LEGACY_HR_USERS.orphan} removed, ${LEGACY_HR_USERS.error} now points its description at a missing file; refreshing ${options.locationEntityRef} and its users`,
    );

    await options.refreshExport();

    // The orphan is only stitched as such when it is processed again after
    // its Location stopped emitting it; in the first refresh both may run
    // side by side, so the refresh is repeated until the drift shows.
    let round = 0;
    const drifted = await pollUntil(
      async () => {
        const [orphan, error] = await fetchUsers();
        if (isOrphan(orphan) && processingErrors(error).length > 0) {
          return true;
        }
        if (++round % 3 === 0) {
          await options.refreshExport();
        }
        return false;
      },
      options.driftTimeoutMs ?? 120_000,
      pollIntervalMs,
      signal,
      logger,
    );
    if (!drifted) {
      logger.warn(
        `Directory drift: the catalog did not show the drift in time (is catalog.orphanStrategy 'keep'?)`,
      );
      return 'timed-out';
    }

    const [, error] = await fetchUsers();
    logger.info(
      `Directory drift: done. ${
        LEGACY_HR_USERS.orphan
      } is orphaned (backstage.io/orphan: 'true'); ${
        LEGACY_HR_USERS.error
      } has a processing error: ${processingErrors(error).join('; ')}`,
    );
    return 'drifted';
  } catch (error) {
    if (signal.aborted) {
      return 'aborted';
    }
    throw error;
  }
}

async function getEntity(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<Entity | undefined> {
  return catalog.getEntityByRef(entityRef, { credentials });
}

/**
 * Calls `check` until it answers true or `timeoutMs` passes. A check that
 * throws counts as false (the catalog's router may not answer yet right at
 * startup); the last such error is logged if time runs out.
 */
async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs: number,
  signal: AbortSignal,
  logger: LoggerService,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    signal.throwIfAborted();
    try {
      if (await check()) {
        return true;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() + intervalMs > deadline) {
      if (lastError) {
        logger.warn(
          `Directory drift: last catalog call failed, ${stringifyError(
            lastError,
          )}`,
        );
      }
      return false;
    }
    await sleep(intervalMs, undefined, { signal });
  }
}
