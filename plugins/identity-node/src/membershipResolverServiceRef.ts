import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { CatalogMembershipSource } from './CatalogMembershipSource';
import { DefaultMembershipResolver } from './DefaultMembershipResolver';
import { MembershipResolver } from './MembershipResolver';
import { readMembershipResolverConfig } from './readMembershipResolverConfig';

/**
 * The membership resolver, one per backend process.
 *
 * @remarks
 *
 * Plugin scoped because it reads the catalog through `catalogServiceRef`,
 * which is plugin scoped; the cache lives in the factory's root context, so
 * the identity policy and the identity backend share one resolver and one
 * cache. The first plugin to ask creates it, with that plugin's service
 * credentials.
 *
 * @public
 */
export const membershipResolverServiceRef =
  createServiceRef<MembershipResolver>({
    id: 'identity.membership-resolver',
    scope: 'plugin',
    // The factory below refers back to this ref; the default factory is only
    // called once both are defined.
    defaultFactory: async (): Promise<ServiceFactory> =>
      // eslint-disable-next-line @typescript-eslint/no-use-before-define
      membershipResolverServiceFactory,
  });

/**
 * The default factory of {@link membershipResolverServiceRef}, installed
 * automatically.
 */
export const membershipResolverServiceFactory: ServiceFactory<
  MembershipResolver,
  'plugin',
  'singleton'
> = createServiceFactory({
  service: membershipResolverServiceRef,
  deps: {
    config: coreServices.rootConfig,
    rootLogger: coreServices.rootLogger,
    catalog: catalogServiceRef,
    auth: coreServices.auth,
  },
  createRootContext({ config, rootLogger }) {
    const settings = readMembershipResolverConfig(config);
    const logger = rootLogger.child({ service: 'identity-membership' });
    if (!settings.trustedOrigins.restricted) {
      logger.warn(
        'identityPolicy.directories is not set: User and Group entities from every origin count for membership, including files anyone registered. Set it to the origins of your identity data.',
      );
    }
    return {
      settings,
      logger,
      resolver: undefined as DefaultMembershipResolver | undefined,
    };
  },
  factory({ catalog, auth }, context) {
    // The first plugin's catalog client serves everyone: the cache is
    // process-wide and every plugin reads the same catalog.
    context.resolver ??= new DefaultMembershipResolver({
      ...context.settings,
      logger: context.logger,
      source: new CatalogMembershipSource({ catalog, auth }),
    });
    return context.resolver;
  },
});
