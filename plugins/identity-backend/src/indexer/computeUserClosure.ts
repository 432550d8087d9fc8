import { ClosureRow } from '../store/IdentityStore';

/**
 * Every group a user belongs to. Direct memberships win; an inherited group
 * keeps the shortest path (ties: the first direct group in ref order).
 */
export function computeUserClosure(
  userRef: string,
  directGroups: string[],
  ancestors: Map<string, Map<string, string[]>>,
): ClosureRow[] {
  const rows = new Map<string, ClosureRow>();
  const direct = [...directGroups].sort();
  for (const group of direct) {
    rows.set(group, { userRef, groupRef: group, direct: true, path: [group] });
  }
  for (const group of direct) {
    for (const [ancestor, path] of ancestors.get(group) ?? []) {
      const existing = rows.get(ancestor);
      if (
        !existing ||
        (!existing.direct && existing.path.length > path.length)
      ) {
        rows.set(ancestor, {
          userRef,
          groupRef: ancestor,
          direct: false,
          path,
        });
      }
    }
  }
  return [...rows.values()];
}
