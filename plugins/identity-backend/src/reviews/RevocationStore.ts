/** A revoke item whose revocation the catalog does not show yet. */
export interface PendingRevocation {
  itemId: string;
  campaignId: string;
  userRef: string;
  access: string;
  /** The group whose membership granted the access. */
  groupRef?: string;
}

/** What the revocation watch reads and writes of the review items. */
export interface RevocationStore {
  /**
   * Pending revocations in item id order, after `afterId`, at most `limit`;
   * with `uncheckedOnly`, those the watch never compared.
   */
  listPending(query: {
    afterId?: string;
    limit: number;
    uncheckedOnly: boolean;
  }): Promise<PendingRevocation[]>;
  /**
   * Records one comparison of these items with the index: the `effective`
   * ones took effect at `at`, the others were still pending then. Only
   * items still pending change, so that a revocation reset by a new
   * decision in the meantime is not marked.
   */
  recordCheck(
    at: string,
    result: { effective: string[]; pending: string[] },
  ): Promise<void>;
}
