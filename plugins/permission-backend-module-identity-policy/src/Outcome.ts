import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { AccessDecisionKind } from '@identity-governance/plugin-identity-common';
import { GroupMembership } from '@identity-governance/plugin-identity-node';
import { PolicyRule } from './readIdentityPolicyConfig';

/** What one run of the decision code found. */
export interface Outcome {
  decision: PolicyDecision;
  reason: string;
  kind: AccessDecisionKind;
  user?: string;
  /** The rule that decided (kind `rule` or `owners`). */
  rule?: PolicyRule;
  /** The membership an ALLOW rests on. */
  grant?: GroupMembership;
}

export const ALLOW = { result: AuthorizeResult.ALLOW } as const;
export const DENY = { result: AuthorizeResult.DENY } as const;

/**
 * An unguarded permission under `defaultDecision: allow`. One object, so
 * `handle` can tell it apart without awaiting anything.
 */
export const DEFAULT_ALLOW: Outcome = {
  decision: ALLOW,
  reason: 'default decision',
  kind: 'default',
};

/** Every unauthenticated caller's outcome, on a guarded permission or not. */
export const UNAUTHENTICATED: Outcome = {
  decision: DENY,
  kind: 'unauthenticated',
  reason: 'unauthenticated',
};

export function decisionOf(outcome: Outcome): PolicyDecision {
  return outcome.decision;
}
