import { ScopeItem } from './collectScopeItems';
import { NewReviewItem } from './ReviewStore';

export interface ReviewerSources {
  /**
   * Each person's manager, checked by the reader (a user in the catalog of
   * the person's own source); absent for people without one.
   */
  managers?: Map<string, string>;
  /** What each group's reviewers annotation names. */
  groupReviewers: Map<string, string[]>;
  /** The request's `defaultReviewers`. */
  defaultReviewers: string[];
  /** Whoever may manage campaigns (the policy's admins). */
  admins: string[];
  /** The admin starting the campaign: the last resort. */
  creator: string;
}

/**
 * Picks one reviewer per item: the person's manager, else the granting
 * group's reviewers, else the request's defaults, else the admins, else the
 * creator. Within a list, a person's items go to the same reviewer (spread
 * over the list by person), and nobody reviews their own access while the
 * list has someone else.
 */
export function assignReviewers(
  items: ScopeItem[],
  sources: ReviewerSources,
): NewReviewItem[] {
  const people = new Map<string, number>();
  const personIndex = (userRef: string) => {
    let i = people.get(userRef);
    if (i === undefined) {
      i = people.size;
      people.set(userRef, i);
    }
    return i;
  };
  return items.map(item => {
    const manager = sources.managers?.get(item.userRef);
    if (manager && manager !== item.userRef) {
      return { ...item, reviewer: manager };
    }
    const candidates = (item.groupRef &&
      sources.groupReviewers.get(item.groupRef)) ||
      (sources.defaultReviewers.length && sources.defaultReviewers) ||
      (sources.admins.length && sources.admins) || [sources.creator];
    const others = candidates.filter(c => c !== item.userRef);
    const list = others.length ? others : candidates;
    const reviewer = list[personIndex(item.userRef) % list.length];
    return { ...item, reviewer };
  });
}
