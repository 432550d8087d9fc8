import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AccessExplanation } from '@identity-governance/plugin-identity-common';
import { UserMemberships } from '@identity-governance/plugin-identity-node';
import {
  evaluateConditions,
  pathEdgesOf,
  uncountedInto,
} from './explanationParts';
import { Outcome } from './Outcome';
import { PolicyEntityReader } from './PolicyEntityReader';

/** What the explanation of one decision is made from. */
export interface ExplanationInput {
  permission: string;
  resourceRef?: string;
  outcome: Outcome;
  /** The memberships the decision was made on, when it read any. */
  memberships?: UserMemberships;
  /** Reads the entity a conditional decision is about. */
  entities?: PolicyEntityReader;
  /** The groups granting the permission, for what does not count. */
  grantingGroups: () => ReadonlySet<string>;
}

/**
 * An outcome of the decision code as the Identity page shows it: the result,
 * what decided, the path a grant rests on with each edge's source, and, for
 * a result other than allow, the memberships that would have granted but do
 * not count. A conditional decision about a named entity is settled against
 * that entity, as the catalog would.
 */
export async function toAccessExplanation(
  input: ExplanationInput,
): Promise<AccessExplanation> {
  const { outcome, resourceRef } = input;
  const explanation: AccessExplanation = {
    permission: input.permission,
    result: 'deny',
    decidedBy: { kind: outcome.kind },
    reason: outcome.reason,
  };
  if (resourceRef) {
    explanation.resourceRef = resourceRef;
  }
  if (outcome.rule) {
    explanation.decidedBy.rule = outcome.rule.key;
  }
  if (outcome.grant) {
    explanation.decidedBy.group = outcome.grant.groupRef;
    explanation.path = pathEdgesOf(outcome.grant);
  }
  if (outcome.decision.result === AuthorizeResult.ALLOW) {
    explanation.result = 'allow';
  } else if (outcome.decision.result === AuthorizeResult.CONDITIONAL) {
    explanation.result = 'conditional';
    if (resourceRef && input.entities) {
      const entity = await input.entities.getEntityByRef(resourceRef);
      const verdict = entity
        ? evaluateConditions(outcome.decision.conditions, entity)
        : false;
      explanation.result = verdict ? 'allow' : 'deny';
      let detail = `${resourceRef} is not in the catalog`;
      if (entity) {
        detail = verdict
          ? `${resourceRef} is owned by the user or one of its groups`
          : `${resourceRef} is not owned by the user or its groups`;
      }
      explanation.reason = `${outcome.reason}: ${detail}`;
    }
  }
  if (input.memberships && explanation.result !== 'allow') {
    const uncounted = uncountedInto(input.memberships, input.grantingGroups());
    if (uncounted.length) {
      explanation.uncounted = uncounted;
    }
  }
  return explanation;
}
