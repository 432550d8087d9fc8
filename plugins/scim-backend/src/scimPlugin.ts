import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import Router from 'express-promise-router';
import { scimRecordSourceServiceRef } from '@identity-governance/plugin-scim-node';
import { EntityOwnership } from './catalog/EntityOwnership';
import { entityRefOf } from './catalog/entityRefOf';
import { StoreRecordSource } from './catalog/StoreRecordSource';
import { idpSettingsOf, readScimConfig } from './config/ScimConfig';
import { createPortalRouter } from './router/createPortalRouter';
import { createProtocolRouter } from './router/createProtocolRouter';
import { scimPermissions } from './permissions';
import { IdpAuthenticator } from './router/IdpAuthenticator';
import { ScimService } from './service/ScimService';
import { DatabaseScimStore } from './store/DatabaseScimStore';

/**
 * The SCIM 2.0 service provider: routes under `/api/scim/v2`, the portal
 * routes (history, conflicts, adopt, deactivate), the store in the scim
 * plugin's database, and the record source the catalog module reads.
 *
 * @public
 */
export const scimPlugin = createBackendPlugin({
  pluginId: 'scim',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        registry: scimRecordSourceServiceRef,
      },
      async init({
        config,
        logger,
        auditor,
        database,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        auth,
        catalog,
        discovery,
        registry,
      }) {
        const scimConfig = readScimConfig(config);
        if (!scimConfig.enabled) {
          logger.info('SCIM provisioning is disabled (scim.enabled: false)');
          return;
        }
        const settings = idpSettingsOf(scimConfig);
        for (const idp of scimConfig.identityProviders) {
          if (!idp.token) {
            logger.warn(
              `SCIM identity provider '${idp.name}' has no token and cannot connect`,
            );
          }
        }
        const store = await DatabaseScimStore.create(database, {
          entityRefOf: (kind, idp, name) =>
            entityRefOf(settings, kind, idp, name),
        });
        permissionsRegistry.addPermissions(scimPermissions);
        const ownership = new EntityOwnership({
          store,
          catalog,
          auth,
          adoptFrom: idp => settings(idp).adoptFrom,
          logger,
        });
        const source = new StoreRecordSource(store, settings, ownership);
        registry.register(source);
        const service = new ScimService({
          store,
          userNameStrategy: scimConfig.userNameStrategy,
          onChange: change => source.publish(change),
        });
        const router = Router();
        router.use(
          createProtocolRouter({
            service,
            authenticator: new IdpAuthenticator(scimConfig.identityProviders),
            logger,
            auditor,
            baseUrl: `${await discovery.getExternalBaseUrl('scim')}/v2`,
          }),
        );
        router.use(
          createPortalRouter({
            service,
            store,
            httpAuth,
            permissions,
            auditor,
          }),
        );
        // Outside /v2 (which answers in SCIM's own error format), errors as
        // @backstage/errors JSON without the stack traces the root router
        // adds in development.
        router.use(
          MiddlewareFactory.create({ config, logger }).error({
            showStackTraces: false,
          }),
        );
        httpRouter.use(router);
        // IdPs authenticate with their own bearer tokens, checked by the router.
        httpRouter.addAuthPolicy({ path: '/v2', allow: 'unauthenticated' });
      },
    });
  },
});
