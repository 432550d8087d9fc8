import { Entity } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import {
  AccessPathEdge,
  AccessUncountedMembership,
} from '@identity-governance/plugin-identity-common';
import {
  GroupMembership,
  UserMemberships,
} from '@identity-governance/plugin-identity-node';

/** A path edge as the membership engine may give it (`GroupMembership.edges`). */
interface EngineEdge {
  from: string;
  to: string;
  declaredBy: string;
  origin?: string;
  directory?: string;
}

/** A declared membership that does not count (`UserMemberships.uncounted`). */
interface EngineUncounted {
  groupRef: string;
  reason: string;
  source: { declaredBy: string; origin?: string; directory?: string };
  /** Groups the declaration would have reached through declared parents. */
  reaches?: readonly string[];
}

const UNCOUNTED_REASONS: Record<string, string> = {
  'untrusted-origin': 'declared by an entity of an untrusted origin',
  'other-directory':
    'declared by an entity of another directory, which may not grant into this one',
  'unknown-group': 'the group is not in the catalog',
  'max-depth': 'beyond the configured nesting depth',
  cycle: 'part of a cycle in the group tree',
};

/**
 * The membership path a grant rests on, edge by edge, with who declared each
 * edge when the engine tells (`GroupMembership.edges`), else `unknown`.
 */
export function pathEdgesOf(membership: GroupMembership): AccessPathEdge[] {
  const edges = (membership as { edges?: readonly EngineEdge[] }).edges;
  if (edges && edges.length === membership.path.length - 1) {
    return edges.map(e => {
      const edge: AccessPathEdge = {
        from: e.from,
        to: e.to,
        declaredBy: e.declaredBy,
      };
      if (e.origin !== undefined) edge.origin = e.origin;
      if (e.directory !== undefined) edge.directory = e.directory;
      return edge;
    });
  }
  const result: AccessPathEdge[] = [];
  for (let i = 0; i + 1 < membership.path.length; i += 1) {
    result.push({
      from: membership.path[i],
      to: membership.path[i + 1],
      declaredBy: 'unknown',
    });
  }
  return result;
}

/**
 * Declared memberships into one of `groups`, or leading to one through
 * declared parents, that did not count: from
 * `UserMemberships.uncounted` when the engine gives it, else `ignored`.
 */
export function uncountedInto(
  memberships: UserMemberships,
  groups: ReadonlySet<string>,
): AccessUncountedMembership[] {
  const uncounted = (memberships as { uncounted?: readonly EngineUncounted[] })
    .uncounted;
  if (uncounted) {
    return uncounted
      .flatMap((u): Array<{ u: EngineUncounted; via?: string }> => {
        // Into a granting group, or into a group whose declared parents
        // lead to one: what a self-promotion was after.
        if (groups.has(u.groupRef)) {
          return [{ u, via: undefined }];
        }
        const via = u.reaches?.find(r => groups.has(r));
        return via ? [{ u, via }] : [];
      })
      .map(({ u, via }) => {
        const why = UNCOUNTED_REASONS[u.reason] ?? u.reason;
        const item: AccessUncountedMembership = {
          groupRef: u.groupRef,
          declaredBy: u.source.declaredBy,
          reason: via ? `${why}; it would reach ${via}` : why,
        };
        if (u.source.origin !== undefined) item.origin = u.source.origin;
        return item;
      });
  }
  return memberships.ignored
    .filter(i => groups.has(i.groupRef))
    .map(i => {
      const item: AccessUncountedMembership = {
        groupRef: i.groupRef,
        declaredBy: i.declaredBy,
        reason: UNCOUNTED_REASONS['untrusted-origin'],
      };
      if (i.origin !== undefined) item.origin = i.origin;
      return item;
    });
}

const rulesByName = new Map<
  string,
  { apply(resource: Entity, params: any): boolean }
>(Object.values(permissionRules).map(rule => [rule.name, rule]));

/**
 * Applies a catalog conditional decision's conditions to an entity with the
 * catalog's own permission rules, as the catalog does for a resourceRef.
 */
export function evaluateConditions(
  criteria: PermissionCriteria<PermissionCondition>,
  entity: Entity,
): boolean {
  if ('allOf' in criteria) {
    return criteria.allOf.every(c => evaluateConditions(c, entity));
  }
  if ('anyOf' in criteria) {
    return criteria.anyOf.some(c => evaluateConditions(c, entity));
  }
  if ('not' in criteria) {
    return !evaluateConditions(criteria.not, entity);
  }
  const rule = rulesByName.get(criteria.rule);
  if (!rule) {
    throw new Error(`Unknown catalog permission rule '${criteria.rule}'`);
  }
  return rule.apply(entity, criteria.params ?? {});
}
