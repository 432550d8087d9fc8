import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

/** The header naming the user to sign in as. */
export const TEST_USER_HEADER = 'x-test-user';

/**
 * A test-only sign-in provider (`test`): whoever sends the header gets a real
 * Backstage user token for that user, so the whole backend (auth, httpAuth,
 * userInfo, on-behalf-of tokens between plugins) runs as in production.
 *
 * `staleClaims` adds ownership claims to the token, as if it had been issued
 * while the user was still a member of those groups.
 */
export function createTestSignInModule(
  staleClaims: Record<string, string[]> = {},
) {
  return createBackendModule({
    pluginId: 'auth',
    moduleId: 'test-sign-in',
    register(reg) {
      reg.registerInit({
        deps: { providers: authProvidersExtensionPoint },
        async init({ providers }) {
          providers.registerProvider({
            providerId: 'test',
            factory: createProxyAuthProviderFactory({
              authenticator: createProxyAuthenticator({
                defaultProfileTransform: async () => ({ profile: {} }),
                initialize() {},
                async authenticate({ req }) {
                  return {
                    result: { ref: String(req.header(TEST_USER_HEADER)) },
                  };
                },
              }),
              async signInResolver({ result }, ctx) {
                const { ref } = result as { ref: string };
                return ctx.issueToken({
                  claims: { sub: ref, ent: [ref, ...(staleClaims[ref] ?? [])] },
                });
              },
            }),
          });
        },
      });
    },
  });
}
