import { IdentityGroupNode } from '@identity-governance/plugin-identity-common';

/** Every group of the tree once, in tree order (a group may have two parents). */
export function flattenGroups(roots: IdentityGroupNode[]): IdentityGroupNode[] {
  const seen = new Set<string>();
  const out: IdentityGroupNode[] = [];
  const visit = (node: IdentityGroupNode) => {
    if (seen.has(node.entityRef)) return;
    seen.add(node.entityRef);
    out.push(node);
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  return out;
}
