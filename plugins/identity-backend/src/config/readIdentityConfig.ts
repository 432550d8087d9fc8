import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { durationToMilliseconds } from '@backstage/types';

/** See `identity.refresh.maxScanShare` in config.d.ts. */
const DEFAULT_MAX_SCAN_SHARE = 0.25;

/** The `identity:` config block, with defaults applied. */
export interface IdentityConfig {
  refreshInterval: HumanDuration;
  refreshTimeout: HumanDuration;
  /** `identity.refresh.staleAfter`, in milliseconds. */
  staleAfterMs: number;
  /** `identity.refresh.maxScanShare`. */
  maxScanShare: number;
  defaultPageSize: number;
  maxPageSize: number;
  /** `identity.scim.enabled`: whether to call the SCIM module. */
  scimEnabled: boolean;
  /** `identity.reviews.maxItems`: the largest campaign snapshot. */
  reviewsMaxItems: number;
  /** `identity.reviews.reminderBefore`, in milliseconds. */
  reviewsReminderBeforeMs: number;
}

function readDuration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  if (!config.has(key)) {
    return fallback;
  }
  try {
    return readDurationFromConfig(config, { key });
  } catch (error) {
    throw new Error(`Invalid config at '${key}': ${(error as Error).message}`);
  }
}

function readInteger(
  config: Config,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  let value: number | undefined;
  try {
    value = config.getOptionalNumber(key);
  } catch (error) {
    throw new Error(`Invalid config at '${key}': ${(error as Error).message}`);
  }
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `Invalid config at '${key}': expected a whole number from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

/** Reads and checks the `identity:` block; errors name the offending key. */
export function readIdentityConfig(config: Config): IdentityConfig {
  const refreshInterval = readDuration(config, 'identity.refresh.interval', {
    seconds: 10,
  });
  if (durationToMilliseconds(refreshInterval) < 1000) {
    throw new Error(
      `Invalid config at 'identity.refresh.interval': must be at least 1 second`,
    );
  }
  const refreshTimeout = readDuration(config, 'identity.refresh.timeout', {
    minutes: 2,
  });
  if (durationToMilliseconds(refreshTimeout) < 1000) {
    throw new Error(
      `Invalid config at 'identity.refresh.timeout': must be at least 1 second`,
    );
  }
  const staleAfterMs = durationToMilliseconds(
    readDuration(config, 'identity.refresh.staleAfter', { minutes: 5 }),
  );
  if (staleAfterMs <= durationToMilliseconds(refreshInterval)) {
    throw new Error(
      `Invalid config at 'identity.refresh.staleAfter': must be longer than identity.refresh.interval`,
    );
  }
  let maxScanShare: number | undefined;
  try {
    maxScanShare = config.getOptionalNumber('identity.refresh.maxScanShare');
  } catch (error) {
    throw new Error(
      `Invalid config at 'identity.refresh.maxScanShare': ${
        (error as Error).message
      }`,
    );
  }
  if (
    maxScanShare !== undefined &&
    !(Number.isFinite(maxScanShare) && maxScanShare > 0 && maxScanShare <= 1)
  ) {
    throw new Error(
      `Invalid config at 'identity.refresh.maxScanShare': expected a number more than 0 and at most 1, got ${maxScanShare}`,
    );
  }
  const maxPageSize = readInteger(
    config,
    'identity.pageSize.max',
    500,
    1,
    5000,
  );
  const defaultPageSize = readInteger(
    config,
    'identity.pageSize.default',
    Math.min(50, maxPageSize),
    1,
    maxPageSize,
  );
  let scimEnabled: boolean | undefined;
  try {
    scimEnabled = config.getOptionalBoolean('identity.scim.enabled');
  } catch (error) {
    throw new Error(
      `Invalid config at 'identity.scim.enabled': ${(error as Error).message}`,
    );
  }
  const reviewsMaxItems = readInteger(
    config,
    'identity.reviews.maxItems',
    50_000,
    1,
    1_000_000,
  );
  const reviewsReminderBeforeMs = durationToMilliseconds(
    readDuration(config, 'identity.reviews.reminderBefore', { days: 2 }),
  );
  if (reviewsReminderBeforeMs < 60_000) {
    throw new Error(
      `Invalid config at 'identity.reviews.reminderBefore': must be at least 1 minute`,
    );
  }
  return {
    refreshInterval,
    refreshTimeout,
    staleAfterMs,
    maxScanShare: maxScanShare ?? DEFAULT_MAX_SCAN_SHARE,
    defaultPageSize,
    maxPageSize,
    scimEnabled: scimEnabled ?? true,
    reviewsMaxItems,
    reviewsReminderBeforeMs,
  };
}
