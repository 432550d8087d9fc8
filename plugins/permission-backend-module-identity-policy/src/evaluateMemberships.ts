import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  GroupMembership,
  UserMemberships,
} from '@identity-governance/plugin-identity-node';
import { ALLOW, DENY, Outcome } from './Outcome';
import { RuleIndex } from './RuleIndex';

/** The policy's configuration, as the evaluation reads it. */
export interface EvaluationContext {
  adminGroups: ReadonlySet<string>;
  rules: RuleIndex;
  defaultDecision: 'allow' | 'deny';
}

/**
 * The decision for one permission on a user's memberships: admin groups
 * first, then the matching rules in order, then an owner rule, then the
 * default (unguarded) or a denial (guarded).
 */
export function evaluateMemberships(
  context: EvaluationContext,
  permission: Permission,
  guarded: boolean,
  memberships: UserMemberships,
): Outcome {
  const userRef = memberships.userEntityRef;

  const admin = findGroup(memberships, context.adminGroups);
  if (admin) {
    return {
      decision: ALLOW,
      kind: 'admin-group',
      user: userRef,
      reason: `admin group ${describe(admin)}`,
      grant: admin,
    };
  }

  const rules = context.rules.matching(permission);
  for (const rule of rules) {
    const via = findGroup(memberships, context.rules.groupsOf(rule));
    if (via) {
      return {
        decision: ALLOW,
        kind: 'rule',
        user: userRef,
        reason: `${rule.key} allows ${describe(via)}`,
        rule,
        grant: via,
      };
    }
  }

  const ownerRule = rules.find(r => r.allowOwners);
  if (
    ownerRule &&
    isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
  ) {
    // The same claims feed the in-memory check (with a resourceRef) and the
    // database filter (DELETE /entities/by-uid); both compare against
    // lowercase `relations.ownedBy` refs, which these are.
    const claims = [userRef, ...memberships.groupRefs];
    return {
      decision: createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      ),
      kind: 'owners',
      user: userRef,
      rule: ownerRule,
      reason: `${ownerRule.key} allows owners of the entity (${claims.length} claims)`,
    };
  }

  if (!guarded) {
    return {
      decision: context.defaultDecision === 'allow' ? ALLOW : DENY,
      kind: 'default',
      user: userRef,
      reason: 'default decision',
    };
  }
  const ignored = memberships.ignored.length
    ? `; ${memberships.ignored.length} memberships of untrusted origin ignored`
    : '';
  return {
    decision: DENY,
    kind: 'not-in-allowed-group',
    user: userRef,
    reason: `not in an allowed group${
      memberships.userFound ? '' : ' (no such user in the catalog)'
    }${ignored}`,
  };
}

/** The first membership of the user in one of `groups`. */
function findGroup(
  memberships: UserMemberships,
  groups: ReadonlySet<string>,
): GroupMembership | undefined {
  if (!groups.size) {
    return undefined;
  }
  return memberships.memberships.find(m => groups.has(m.groupRef));
}

/** `group` or `group via a -> b`, for the decision record. */
function describe(membership: GroupMembership): string {
  return membership.direct
    ? membership.groupRef
    : `${membership.groupRef} via ${membership.path.slice(1, -1).join(' -> ')}`;
}
