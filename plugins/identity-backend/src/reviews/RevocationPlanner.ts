import {
  ReviewItem,
  ReviewRevocationStep,
} from '@identity-governance/plugin-identity-common';

/** Works out what to change at each source to revoke an item's access. */
export interface RevocationPlanner {
  /**
   * The steps for each item, by item id: one per source that declares a
   * link of the item's membership path, as the catalog declares it now.
   */
  plan(items: ReviewItem[]): Promise<Map<string, ReviewRevocationStep[]>>;
}
