import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { createDemoUserAuthenticator } from './demoUserAuthenticator';

/**
 * Demo-only sign-in: lets a person pick which catalog user to be (an admin or
 * an ordinary user) so both sides of the permission policy can be tried
 * locally. Registered as auth provider `demo`.
 */
export const authModuleDemoProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
      },
      async init({ providers, logger, config }) {
        const users = config.getOptionalConfigArray('demoSignIn.users') ?? [];
        const enabled =
          process.env.NODE_ENV === 'development' ||
          config.getOptionalBoolean(
            'demoSignIn.dangerouslyAllowOutsideDevelopment',
          ) === true;
        logger.warn(
          `The demo sign-in provider is installed: anyone who can reach the backend may sign in as the ${users.length} users in demoSignIn.users. Development only.`,
        );
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: createDemoUserAuthenticator({
              enabled,
              allowedUserEntityRefs: users.map(u =>
                u.getString('userEntityRef'),
              ),
            }),
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({
                entityRef: result.userEntityRef,
              });
            },
          }),
        });
      },
    });
  },
});
