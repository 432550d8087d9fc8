import {
  IdentityGroupNode,
  IdentityGroupTree,
} from '@identity-governance/plugin-identity-common';
import { StoredGroupNode } from '../store/IdentityStore';

/**
 * Places each group under its first known parent. Groups that no root
 * reaches (parent cycles) become roots themselves, so every group shows once.
 */
export function buildGroupTree(groups: StoredGroupNode[]): IdentityGroupTree {
  const nodes = new Map<string, IdentityGroupNode>();
  for (const g of groups) {
    nodes.set(g.entityRef, {
      entityRef: g.entityRef,
      namespace: g.namespace,
      name: g.name,
      displayName: g.displayName,
      directMemberCount: g.directMemberCount,
      totalMemberCount: g.totalMemberCount,
      children: [],
    });
  }
  const parentOf = new Map<string, string>();
  for (const g of groups) {
    const parent = g.parentRefs.find(p => p !== g.entityRef && nodes.has(p));
    if (parent) {
      parentOf.set(g.entityRef, parent);
    }
  }
  const roots: IdentityGroupNode[] = [];
  const placed = new Set<string>();
  const place = (ref: string) => {
    placed.add(ref);
    const node = nodes.get(ref)!;
    const parent = parentOf.get(ref);
    if (parent) {
      nodes.get(parent)!.children.push(node);
    } else {
      roots.push(node);
    }
  };
  for (const g of groups) {
    if (!parentOf.has(g.entityRef)) {
      place(g.entityRef);
    }
  }
  // Walk down from the roots; whatever stays unreached sits on a cycle.
  const reached = new Set<string>();
  const childrenOf = new Map<string, string[]>();
  for (const [child, parent] of parentOf) {
    const siblings = childrenOf.get(parent);
    if (siblings) {
      siblings.push(child);
    } else {
      childrenOf.set(parent, [child]);
    }
  }
  const stack = roots.map(r => r.entityRef);
  while (stack.length) {
    const ref = stack.pop()!;
    reached.add(ref);
    for (const child of childrenOf.get(ref) ?? []) {
      if (!reached.has(child)) {
        stack.push(child);
      }
    }
  }
  for (const g of groups) {
    if (!reached.has(g.entityRef)) {
      // Break the cycle at this group: it becomes a root.
      parentOf.delete(g.entityRef);
      const s = [g.entityRef];
      while (s.length) {
        const ref = s.pop()!;
        reached.add(ref);
        for (const child of childrenOf.get(ref) ?? []) {
          if (!reached.has(child)) {
            s.push(child);
          }
        }
      }
    }
  }
  for (const g of groups) {
    if (!placed.has(g.entityRef)) {
      place(g.entityRef);
    }
  }
  const sortTree = (list: IdentityGroupNode[]) => {
    list.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
    list.forEach(n => sortTree(n.children));
  };
  sortTree(roots);
  return { roots, totalGroups: groups.length };
}
