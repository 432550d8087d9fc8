import { LoggerService } from '@backstage/backend-plugin-api';
import { DecisionRecord, decisionFields } from './DecisionAuditor';

/**
 * Where the policy records its guarded decisions: {@link DecisionLog} (the
 * default) or `DecisionAuditor`. A recorder that returns nothing has written
 * its record before returning, so the decision waits for no promise.
 */
export interface DecisionRecorder {
  record(record: DecisionRecord): void | Promise<void>;
}

/** The message of every decision record, in either form. */
export const DECISION_MESSAGE = 'permission.policy-decision';

/**
 * Records every guarded decision as one `info` line of the permission
 * plugin's logger, `permission.policy-decision`, with the user, permission,
 * resourceRef, result and reason as fields.
 *
 * @remarks
 *
 * The default, because it is the cheapest record Backstage's root logger can
 * write: a flat line of five fields, written synchronously. An audit event
 * through `coreServices.auditor` nests the same fields with the request's
 * actor, address and user agent and awaits the caller's credentials for each
 * one, about twice the cost per record, which at batches of 100 took the
 * permission backend past its budget of 1.3x of allow-all (bench/RESULTS.md,
 * section policy). `identityPolicy.decisionRecords: auditor` chooses those
 * events instead.
 */
export class DecisionLog implements DecisionRecorder {
  readonly #logger: LoggerService;

  constructor(logger: LoggerService) {
    this.#logger = logger;
  }

  record(record: DecisionRecord): void {
    try {
      this.#logger.info(DECISION_MESSAGE, decisionFields(record));
    } catch (error) {
      // A transport that throws must not turn a decision into an error.
      this.#logger.error('identity-policy could not record a decision', {
        permission: record.permission,
        result: record.outcome.decision.result,
        error: String(error),
      });
    }
  }
}
