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
 * userInfo, on-behalf-of tokens between plugins) runs as in production. The
 * permission backend needs real tokens to apply a catalog condition for a
 * user's own request (mock tokens carry no on-behalf-of actor).
 *
 * The same module as the identity policy's tests use; test code cannot be
 * imported across packages.
 */
export const testSignInModule = createBackendModule({
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
              return ctx.issueToken({ claims: { sub: ref, ent: [ref] } });
            },
          }),
        });
      },
    });
  },
});
