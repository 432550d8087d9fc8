import { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Logs decision failures as state changes: the first failure of an outage
 * (the catalog unreachable, say) as one error line, and the first success
 * after it with how many decisions failed in between, so that an outage under
 * load is two log lines, not one per decision.
 */
export class DecisionFailureLog {
  readonly #logger: LoggerService;
  #failed = 0;

  constructor(logger: LoggerService) {
    this.#logger = logger;
  }

  failed(error: unknown, fields: Record<string, unknown>): void {
    this.#failed += 1;
    if (this.#failed === 1) {
      this.#logger.error(
        'identity-policy decisions are failing and are denied; further failures are counted and reported when a decision succeeds again',
        { ...fields, error: String(error) },
      );
    }
  }

  succeeded(): void {
    if (this.#failed > 0) {
      this.#logger.info(
        `identity-policy decisions succeed again after ${
          this.#failed
        } failed (denied) decisions`,
      );
      this.#failed = 0;
    }
  }
}
