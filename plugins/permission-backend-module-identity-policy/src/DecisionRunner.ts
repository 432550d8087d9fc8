import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import { UserMemberships } from '@identity-governance/plugin-identity-node';
import { AuthorizeItemContext } from './AuthorizeRequestContext';
import { BatchedMemberships } from './BatchedMemberships';
import { formatRef } from './DecisionAuditor';
import { DecisionFailureLog } from './DecisionFailureLog';
import { DecisionRecorder } from './DecisionLog';
import { EvaluationContext, evaluateMemberships } from './evaluateMemberships';
import { DEFAULT_ALLOW, DENY, Outcome, UNAUTHENTICATED } from './Outcome';

/**
 * Filled in by the decision code for the policy's `explain`; `handle` passes
 * none, so its path neither allocates nor logs anything more.
 */
export interface ExplanationSink {
  /** The memberships the final decision was made on. */
  memberships?: UserMemberships;
}

/** What {@link DecisionRunner} decides with. */
export interface DecisionRunnerOptions {
  context: EvaluationContext;
  batch: BatchedMemberships;
  failures: DecisionFailureLog;
  /** Where `handle`'s guarded decisions are recorded; none when undefined. */
  records?: DecisionRecorder;
  guardedPermissions: ReadonlySet<string>;
  defaultDecision: 'allow' | 'deny';
}

/**
 * The policy's one decision function, which `handle` and `explain` both
 * run: the user's memberships, evaluated, confirmed when stale, recorded.
 */
export class DecisionRunner {
  readonly #options: DecisionRunnerOptions;

  constructor(options: DecisionRunnerOptions) {
    this.#options = options;
  }

  /**
   * The one decision function: `handle` and `explain` both run it. With a
   * sink, it fills the sink in and records no decision.
   *
   * @param key - what memberships are batched under: the credentials object
   *   (`handle`) or the user ref (`explain`); undefined when unauthenticated
   */
  run(
    permission: Permission,
    key: unknown,
    userEntityRef: string | undefined,
    item: AuthorizeItemContext,
    sink: ExplanationSink | undefined,
  ): Outcome | Promise<Outcome> {
    const guarded = this.#options.guardedPermissions.has(permission.name);
    if (
      !guarded &&
      key !== undefined &&
      this.#options.defaultDecision === 'allow'
    ) {
      return DEFAULT_ALLOW;
    }
    return this.#runDecision(
      permission,
      guarded,
      key,
      userEntityRef,
      item,
      sink,
    );
  }

  /**
   * The decision on the user's memberships, recorded. The common case (the
   * memberships of the batch resolved, and either fresh or denying) takes
   * one promise callback per decision: at batches of 100 every extra hop is
   * paid 100 times (see bench/RESULTS.md, section policy).
   */
  #runDecision(
    permission: Permission,
    guarded: boolean,
    key: unknown,
    userEntityRef: string | undefined,
    item: AuthorizeItemContext,
    sink: ExplanationSink | undefined,
  ): Outcome | Promise<Outcome> {
    if (key === undefined) {
      return this.#settle(
        UNAUTHENTICATED,
        permission,
        guarded,
        key,
        item,
        sink,
      );
    }
    const failed = (error: unknown) =>
      this.#settleFailure(error, permission, guarded, key, item, sink);
    // Memberships older than the cache window can only lack ones gained
    // since (bounded by grantLatencySeconds) or still hold ones removed
    // since. So a denial may rest on them; a grant stands only once its path
    // holds in entities within the cache window, and anything else is
    // decided again on fresh memberships. Removals keep taking effect within
    // the cache window.
    return this.#options.batch
      .membershipsOf(key, userEntityRef!, true)
      .then(memberships => {
        let outcome: Outcome;
        try {
          outcome = this.#evaluate(permission, guarded, memberships, sink);
        } catch (error) {
          return failed(error);
        }
        if (
          memberships.fresh ||
          outcome.decision.result === AuthorizeResult.DENY
        ) {
          return this.#settle(outcome, permission, guarded, key, item, sink);
        }
        return this.#confirm(
          outcome,
          permission,
          guarded,
          key,
          userEntityRef!,
          sink,
        ).then(
          confirmed =>
            this.#settle(confirmed, permission, guarded, key, item, sink),
          failed,
        );
      }, failed);
  }

  /** A decision made on stale memberships, confirmed or made again. */
  async #confirm(
    outcome: Outcome,
    permission: Permission,
    guarded: boolean,
    key: unknown,
    userEntityRef: string,
    sink: ExplanationSink | undefined,
  ): Promise<Outcome> {
    if (outcome.grant) {
      if (await this.#options.batch.verify(outcome.grant.path)) {
        return outcome;
      }
    } else if (outcome.decision.result === AuthorizeResult.ALLOW) {
      return outcome; // the default decision: no membership involved
    }
    return this.#evaluate(
      permission,
      guarded,
      await this.#options.batch.membershipsOf(key, userEntityRef, false),
      sink,
    );
  }

  /** A decision made: recorded (when `handle` made it on a guarded one). */
  #settle(
    outcome: Outcome,
    permission: Permission,
    guarded: boolean,
    key: unknown,
    item: AuthorizeItemContext,
    sink: ExplanationSink | undefined,
  ): Outcome | Promise<Outcome> {
    this.#options.failures.succeeded();
    return this.#record(outcome, permission, guarded, key, item, sink);
  }

  /** A decision that failed: denied, logged once per outage, recorded. */
  #settleFailure(
    error: unknown,
    permission: Permission,
    guarded: boolean,
    key: unknown,
    item: AuthorizeItemContext,
    sink: ExplanationSink | undefined,
  ): Outcome | Promise<Outcome> {
    const outcome: Outcome = {
      decision: DENY,
      kind: 'error',
      reason: `error while deciding, denied: ${error}`,
    };
    this.#options.failures.failed(error, {
      permission: permission.name,
      resourceRef: formatRef(item.resourceRef),
      ...(sink ? { explain: true } : undefined),
    });
    return this.#record(outcome, permission, guarded, key, item, sink);
  }

  #record(
    outcome: Outcome,
    permission: Permission,
    guarded: boolean,
    key: unknown,
    item: AuthorizeItemContext,
    sink: ExplanationSink | undefined,
  ): Outcome | Promise<Outcome> {
    if (!guarded || sink || !this.#options.records) {
      return outcome;
    }
    const recorded = this.#options.records.record({
      outcome,
      key,
      permission: permission.name,
      resourceRef: item.resourceRef,
      request: item.request,
    });
    return recorded ? recorded.then(() => outcome) : outcome;
  }

  #evaluate(
    permission: Permission,
    guarded: boolean,
    memberships: UserMemberships,
    sink: ExplanationSink | undefined,
  ): Outcome {
    if (sink) {
      sink.memberships = memberships;
    }
    return evaluateMemberships(
      this.#options.context,
      permission,
      guarded,
      memberships,
    );
  }
}
