export interface Config {
  /**
   * Demo-only features of this backend. None of them belongs in production.
   */
  demo?: {
    /**
     * The demo-directory-drift catalog module: a simulated third directory
     * (a "legacy HR export") that changes after it was ingested, so that the
     * catalog holds a genuinely orphaned user (`olive.orphan`) and a user with
     * a genuine processing error (`eric.error`).
     */
    directoryDrift?: {
      /**
       * Whether the module runs. Off unless set to true. Pair it with
       * `catalog.orphanStrategy: keep`, or the orphan is deleted soon after.
       */
      enabled?: boolean;
    };
  };
}
