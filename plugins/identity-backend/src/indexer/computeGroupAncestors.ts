/**
 * For every group, its ancestors with the shortest path to each: the path
 * starts at the group itself and ends at the ancestor. Parent cycles are
 * tolerated: a group is never its own ancestor.
 */
export function computeGroupAncestors(
  parents: Map<string, string[]>,
): Map<string, Map<string, string[]>> {
  const result = new Map<string, Map<string, string[]>>();
  for (const group of parents.keys()) {
    const ancestors = new Map<string, string[]>();
    const queue: string[][] = [[group]];
    const seen = new Set([group]);
    while (queue.length) {
      const path = queue.shift()!;
      const last = path[path.length - 1];
      for (const parent of parents.get(last) ?? []) {
        if (seen.has(parent) || !parents.has(parent)) {
          continue;
        }
        seen.add(parent);
        const next = [...path, parent];
        ancestors.set(parent, next);
        queue.push(next);
      }
    }
    result.set(group, ancestors);
  }
  return result;
}
