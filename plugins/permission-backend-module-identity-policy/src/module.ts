import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  accessExplainerServiceRef,
  membershipResolverServiceRef,
} from '@identity-governance/plugin-identity-node';
import { AuthorizeRequestContext } from './AuthorizeRequestContext';
import { defaultGuardedPermissions } from './defaultGuardedPermissions';
import { IdentityPermissionPolicy } from './IdentityPermissionPolicy';
import { readIdentityPolicyConfig } from './readIdentityPolicyConfig';

/**
 * Installs the identity permission policy in the permission backend, in place
 * of the allow-all policy.
 *
 * @public
 */
export const permissionModuleIdentityPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'identity-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        http: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        resolver: membershipResolverServiceRef,
        explainer: accessExplainerServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
      },
      async init({
        policy,
        config,
        logger,
        auditor,
        http,
        httpAuth,
        resolver,
        explainer,
        catalog,
        auth,
      }) {
        const policyConfig = readIdentityPolicyConfig(config);

        if (!config.getOptionalBoolean('permission.enabled')) {
          logger.warn(
            '!!! permission.enabled is not true: the identity policy is installed but NEVER CONSULTED. ' +
              'Every signed-in user and guest may delete catalog entities, delete locations and trigger refreshes. ' +
              'Set permission.enabled: true in app-config.yaml. !!!',
          );
        }
        if (!policyConfig.adminGroups.length) {
          logger.warn(
            'identityPolicy.adminGroups is empty: guarded permissions are allowed only through identityPolicy.rules',
          );
        }
        const unguarded = defaultGuardedPermissions.filter(
          name => !policyConfig.guardedPermissions.has(name),
        );
        if (unguarded.length) {
          logger.warn(
            `identityPolicy.guardedPermissions leaves these unguarded: ${unguarded.join(
              ', ',
            )}`,
          );
        }
        logger.info(
          `Identity policy: admin groups ${
            policyConfig.adminGroups.join(', ') || '(none)'
          }; guarded ${[...policyConfig.guardedPermissions].join(', ')}; ${
            policyConfig.rules.length
          } rules; other permissions: ${policyConfig.defaultDecision}`,
        );

        const requestContext = new AuthorizeRequestContext();
        http.use(requestContext.middleware(httpAuth));
        const identityPolicy = new IdentityPermissionPolicy({
          config: policyConfig,
          resolver,
          logger,
          auditor,
          requestContext,
          // Explanations of owner rules read the entity asked about with the
          // plugin's own credentials; decisions never read entities.
          entities: {
            async getEntityByRef(entityRef) {
              return catalog.getEntityByRef(entityRef, {
                credentials: await auth.getOwnServiceCredentials(),
              });
            },
          },
        });
        policy.setPolicy(identityPolicy);
        // The identity backend's access endpoints explain through it.
        explainer.register(identityPolicy);
      },
    });
  },
});
