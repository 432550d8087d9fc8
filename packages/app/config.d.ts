export interface Config {
  /**
   * Demo sign-in: lets a person trying the portal locally choose which
   * catalog user to sign in as, to see both an admin's and an ordinary
   * user's view. Served by the backend's `demo` auth provider, which refuses
   * to run outside development unless explicitly allowed.
   */
  demoSignIn?: {
    /**
     * The users offered on the sign-in page. Only these may be signed in as.
     * @visibility frontend
     */
    users?: Array<{
      /**
       * The user's entity ref, for example `user:default/ada.admin`.
       * @visibility frontend
       */
      userEntityRef: string;
      /**
       * Label shown on the sign-in page.
       * @visibility frontend
       */
      title: string;
      /**
       * One line saying what this user may do.
       * @visibility frontend
       */
      description?: string;
    }>;
    /**
     * Allow the demo provider outside NODE_ENV=development. Never set this on
     * a portal reachable by anyone you do not trust.
     */
    dangerouslyAllowOutsideDevelopment?: boolean;
  };
}
