import {
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { PolicyRule } from './readIdentityPolicyConfig';

/** Bounds the rules remembered per permission. */
const MAX_REMEMBERED_PERMISSIONS = 1000;

/**
 * The configured rules, looked up by permission. The config never changes and
 * every guarded decision asks, so matches are remembered by what rules match
 * on; bounded, as any signed-in caller may name any permission.
 */
export class RuleIndex {
  readonly #rules: readonly PolicyRule[];
  readonly #groups: ReadonlyMap<PolicyRule, ReadonlySet<string>>;
  readonly #byPermission = new Map<string, PolicyRule[]>();

  constructor(rules: readonly PolicyRule[]) {
    this.#rules = rules;
    this.#groups = new Map(rules.map(r => [r, new Set(r.allowGroups)]));
  }

  /** The rules matching a permission, in configuration order. */
  matching(permission: Permission): PolicyRule[] {
    const key = `${permission.name}\u0000${
      permission.attributes.action ?? ''
    }\u0000${isResourcePermission(permission) ? permission.resourceType : ''}`;
    let rules = this.#byPermission.get(key);
    if (!rules) {
      rules = this.#rules.filter(r => ruleMatches(r, permission));
      if (this.#byPermission.size >= MAX_REMEMBERED_PERMISSIONS) {
        this.#byPermission.clear();
      }
      this.#byPermission.set(key, rules);
    }
    return rules;
  }

  /** The groups a rule allows, as a set. */
  groupsOf(rule: PolicyRule): ReadonlySet<string> {
    return this.#groups.get(rule) ?? new Set(rule.allowGroups);
  }
}

function ruleMatches(rule: PolicyRule, permission: Permission): boolean {
  if (rule.permission !== undefined && rule.permission !== permission.name) {
    return false;
  }
  if (
    rule.action !== undefined &&
    rule.action !== permission.attributes.action
  ) {
    return false;
  }
  if (
    rule.resourceType !== undefined &&
    !isResourcePermission(permission, rule.resourceType)
  ) {
    return false;
  }
  return true;
}
