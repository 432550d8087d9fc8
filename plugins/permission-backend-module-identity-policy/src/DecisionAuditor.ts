import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import type { DecisionRecorder } from './DecisionLog';
import { Outcome } from './Outcome';

/** What a guarded decision is recorded with. */
export interface DecisionRecord {
  outcome: Outcome;
  /** Undefined for unauthenticated callers. */
  key: unknown;
  permission: string;
  resourceRef?: string | string[];
  /** The `POST /authorize` request being decided, when known. */
  request?: Request;
}

/**
 * Records every guarded decision as one `coreServices.auditor` event,
 * `permission.policy-decision`, so operators route the decisions with the
 * catalog's own audit events (`identityPolicy.decisionRecords: auditor`).
 *
 * @remarks
 *
 * One record per decision, written with `createEvent` and not followed by
 * `success`: the decision is complete when it is recorded, and a second
 * record per decision would double the logging cost the permission backend
 * pays on every guarded call (see bench/RESULTS.md, section policy). Its
 * `status` field therefore reads `initiated`; `meta.result` holds the
 * outcome. The severity is `medium`, which the default auditor writes at
 * `info`, as the policy's decision lines are.
 */
export class DecisionAuditor implements DecisionRecorder {
  readonly #auditor: AuditorService;
  readonly #logger: LoggerService;

  constructor(auditor: AuditorService, logger: LoggerService) {
    this.#auditor = auditor;
    this.#logger = logger;
  }

  async record(record: DecisionRecord): Promise<void> {
    try {
      await this.#auditor.createEvent({
        eventId: 'policy-decision',
        severityLevel: 'medium',
        request: record.request,
        meta: decisionFields(record),
      });
    } catch (error) {
      // The decision stands; the missing record is reported instead.
      this.#logger.error('identity-policy could not record a decision', {
        permission: record.permission,
        result: record.outcome.decision.result,
        error: String(error),
      });
    }
  }
}

/** The fields of a decision record, the same in a line and an audit event. */
export function decisionFields(record: DecisionRecord) {
  const { outcome, key } = record;
  return {
    user: outcome.user ?? (key !== undefined ? 'unknown' : 'unauthenticated'),
    permission: record.permission,
    resourceRef: formatRef(record.resourceRef),
    result: outcome.decision.result,
    reason: outcome.reason,
  };
}

export function formatRef(ref: string | string[] | undefined) {
  return Array.isArray(ref) ? ref.join(',') : ref;
}
