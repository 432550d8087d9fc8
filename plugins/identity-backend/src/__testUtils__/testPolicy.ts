import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

/** May read the Identity page and offboard. */
export const ADMIN = 'user:default/ada';
/** May read the Identity page. */
export const READER = 'user:default/rita';
/** May not read it. */
export const NOBODY = 'user:default/oscar';

/**
 * The permission policy of the tests that start a backend: `identity.read`
 * for ADMIN and READER, `identity.user.offboard` for ADMIN, everything else
 * allowed.
 */
export const testPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'identity-test-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(req, user): Promise<PolicyDecision> {
            const principal = user?.credentials.principal as
              | { userEntityRef?: string }
              | undefined;
            const ref = principal?.userEntityRef;
            if (req.permission.name === 'identity.read') {
              return {
                result:
                  ref === ADMIN || ref === READER
                    ? AuthorizeResult.ALLOW
                    : AuthorizeResult.DENY,
              };
            }
            if (req.permission.name === 'identity.user.offboard') {
              return {
                result:
                  ref === ADMIN ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
              };
            }
            return { result: AuthorizeResult.ALLOW };
          },
        });
      },
    });
  },
});

/** Polls until fn passes: the catalog and the index follow asynchronously. */
export async function eventually<T>(
  fn: () => Promise<T>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise(r => setTimeout(r, 250));
    }
  }
}
