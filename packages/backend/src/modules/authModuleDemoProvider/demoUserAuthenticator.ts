import { NotAllowedError, AuthenticationError } from '@backstage/errors';
import { createProxyAuthenticator } from '@backstage/plugin-auth-node';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** The header the demo sign-in page sends with the chosen user. */
export const DEMO_USER_HEADER = 'x-demo-user';

/** Result of the demo authenticator: the catalog user to sign in as. */
export type DemoUserResult = { userEntityRef: string };

/** Options for {@link createDemoUserAuthenticator}. */
export type DemoUserAuthenticatorOptions = {
  /** Refs of the users one may sign in as (`demoSignIn.users`). */
  allowedUserEntityRefs: string[];
  /** False outside development unless explicitly allowed. */
  enabled: boolean;
};

/** Normalises `alice`, `user:alice` or `user:default/alice` to a full ref. */
export function toUserEntityRef(value: string): string {
  return stringifyEntityRef(
    parseEntityRef(value, { defaultKind: 'user', defaultNamespace: 'default' }),
  );
}

/**
 * Signs in as one of an allow-listed set of catalog users, chosen by the
 * caller. It exists so that a person trying the demo can switch between an
 * admin and an ordinary user without an identity provider. Like the guest
 * provider it refuses to run outside development unless explicitly allowed.
 */
export function createDemoUserAuthenticator(
  options: DemoUserAuthenticatorOptions,
) {
  const allowed = new Set(options.allowedUserEntityRefs.map(toUserEntityRef));
  return createProxyAuthenticator<void, DemoUserResult, undefined>({
    defaultProfileTransform: async () => ({ profile: {} }),
    initialize() {},
    async authenticate({ req }) {
      if (!options.enabled) {
        throw new NotAllowedError(
          "The demo sign-in provider only runs in development unless 'demoSignIn.dangerouslyAllowOutsideDevelopment' is true",
        );
      }
      const requested = req.header(DEMO_USER_HEADER);
      if (!requested) {
        throw new AuthenticationError(`Missing ${DEMO_USER_HEADER} header`);
      }
      let userEntityRef: string;
      try {
        userEntityRef = toUserEntityRef(requested);
      } catch {
        throw new AuthenticationError(`Malformed ${DEMO_USER_HEADER} header`);
      }
      if (!allowed.has(userEntityRef)) {
        throw new NotAllowedError(
          `${userEntityRef} is not listed in demoSignIn.users`,
        );
      }
      return { result: { userEntityRef } };
    },
  });
}
