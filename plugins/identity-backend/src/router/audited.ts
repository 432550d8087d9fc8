import {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/**
 * Runs an action as one `coreServices.auditor` event: `initiated` before,
 * then `succeeded` with what `outcome` tells of the result, or `failed` with
 * the error (a refused permission included), which is rethrown.
 */
export async function audited<T>(
  auditor: AuditorService,
  options: AuditorServiceCreateEventOptions,
  action: () => Promise<T>,
  outcome?: (result: T) => JsonObject,
): Promise<T> {
  const event = await auditor.createEvent(options);
  let result: T;
  try {
    result = await action();
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
  await event.success(outcome ? { meta: outcome(result) } : undefined);
  return result;
}
