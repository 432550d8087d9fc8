import { GuardedPermissionInfo } from '@identity-governance/plugin-identity-common';

/**
 * The text the dry-run form starts with: the live policy's admin groups and
 * the rules that grant guarded permissions (as `GET /access/permissions`
 * describes them), with a hint of what to try.
 */
export function exampleProposal(permissions: GuardedPermissionInfo[]): string {
  const adminGroups = permissions[0]?.adminGroups ?? [];
  const rules = new Map<
    string,
    { permissions: string[]; allowGroups: string[]; allowOwners: boolean }
  >();
  for (const p of permissions) {
    for (const r of p.rules) {
      const rule = rules.get(r.rule) ?? {
        permissions: [],
        allowGroups: r.allowGroups,
        allowOwners: r.allowOwners,
      };
      rule.permissions.push(p.name);
      rules.set(r.rule, rule);
    }
  }
  const lines = [
    '# A proposed identityPolicy block. Nothing is saved: Run shows who would',
    '# gain or lose each guarded permission against the live organisation.',
    '# It starts as the live admin groups and rules; try adding a group.',
    'identityPolicy:',
    '  adminGroups:',
    ...(adminGroups.length
      ? adminGroups.map(g => `    - ${g}`)
      : ['    - group:default/platform-admins']),
    '    # - group:default/another-group',
  ];
  if (rules.size > 0) {
    lines.push('  rules:');
    for (const rule of rules.values()) {
      for (const permission of rule.permissions) {
        lines.push(`    - permission: ${permission}`);
        if (rule.allowGroups.length) {
          lines.push(`      allowGroups: [${rule.allowGroups.join(', ')}]`);
        }
        if (rule.allowOwners) lines.push('      allowOwners: true');
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
