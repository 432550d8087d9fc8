import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import Router from 'express-promise-router';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { identityPermissions } from '@identity-governance/plugin-identity-common';
import { readMembershipResolverConfig } from '@identity-governance/plugin-identity-node';
import {
  accessExplainerServiceRef,
  membershipResolverServiceRef,
} from '@identity-governance/plugin-identity-node';
import { scimPortalServiceRef } from '@identity-governance/plugin-scim-node';
import { readIdentityConfig } from './config/readIdentityConfig';
import { CatalogServiceReader } from './indexer/CatalogServiceReader';
import { HeldMembershipSync } from './indexer/HeldMembershipSync';
import { IdentityIndexer } from './indexer/IdentityIndexer';
import { createAccessRouter } from './router/createAccessRouter';
import { serverTiming } from './router/serverTiming';
import { audited } from './router/audited';
import { createRouter } from './router/createRouter';
import { DefaultAccessService } from './service/DefaultAccessService';
import { DefaultIdentityService } from './service/DefaultIdentityService';
import { ScimAnnotationProvisioningSource } from './service/ScimAnnotationProvisioningSource';
import { ScimPortalSource } from './service/ScimPortalSource';
import { DatabaseAccessStore } from './store/DatabaseAccessStore';
import { DatabaseIdentityStore } from './store/DatabaseIdentityStore';
import { databaseUnavailableAs503 } from './router/databaseUnavailableAs503';
import { createReviewsRouter } from './reviews/createReviewsRouter';
import { DatabaseReviewStore } from './reviews/DatabaseReviewStore';
import { DefaultReviewService } from './reviews/DefaultReviewService';
import { CatalogGroupReviewersReader } from './reviews/GroupReviewersReader';
import { CatalogManagerReader } from './reviews/ManagerReader';
import { NotificationsReviewNotifier } from './reviews/NotificationsReviewNotifier';
import {
  DatabaseReminderLedger,
  ReviewReminders,
} from './reviews/ReviewReminders';
import { CatalogFileReader } from './reviews/CatalogFileReader';
import { CatalogRevocationPlanner } from './reviews/CatalogRevocationPlanner';
import { DatabaseRevocationStore } from './reviews/DatabaseRevocationStore';
import { RevocationWatch } from './reviews/RevocationWatch';

const REFRESH_TASK_ID = 'identity-index-refresh';
/** Reminds reviewers before campaigns are due; once per cluster. */
export const REVIEW_REMINDERS_TASK_ID = 'identity-review-reminders';

/**
 * The Identity API under `/api/identity`: users, groups, memberships,
 * provenance, summary, CSV export, offboarding and access reviews, served from an index of
 * the catalog that follows it on a short schedule.
 *
 * @public
 */
export const identityPlugin = createBackendPlugin({
  pluginId: 'identity',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        explainer: accessExplainerServiceRef,
        resolver: membershipResolverServiceRef,
        scimPortal: scimPortalServiceRef,
        // Its default factory calls the notifications backend over HTTP, so
        // this plugin starts without it; sends then fail and are logged.
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        auditor,
        database,
        scheduler,
        lifecycle,
        auth,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        catalog,
        explainer,
        resolver,
        scimPortal,
        notifications,
      }) {
        const settings = readIdentityConfig(config);
        const store = await DatabaseIdentityStore.create({ database });
        // The same engine settings the policy decides with, read by the same
        // code: the page shows what the policy counts.
        const engine = readMembershipResolverConfig(config);
        const indexer = new IdentityIndexer(
          store,
          new CatalogServiceReader(catalog, auth),
          logger,
          engine,
          settings.maxScanShare,
        );

        // Users provisioned by the SCIM module are offboarded there, so that
        // they stay gone, and their detail shows what it recorded.
        const scim = settings.scimEnabled
          ? new ScimPortalSource({ portal: scimPortal, logger })
          : undefined;
        if (!scim) {
          logger.info(
            'SCIM offboarding and provisioning history are off (identity.scim.enabled: false)',
          );
        }

        const heldMemberships = scim
          ? new HeldMembershipSync(scim, store, logger)
          : undefined;
        // Revocations take effect when the catalog says so: compared with
        // the index right after each refresh, once per cluster.
        const revocationWatch = new RevocationWatch({
          store: new DatabaseRevocationStore(await database.getClient()),
          index: store,
          auditor,
        });

        // The scheduler's own signal also aborts on a timeout or a lost
        // ticket; only a shutdown makes a failing refresh no failure.
        const shutdown = new AbortController();
        lifecycle.addShutdownHook(() => shutdown.abort());

        await scheduler.scheduleTask({
          id: REFRESH_TASK_ID,
          frequency: settings.refreshInterval,
          timeout: settings.refreshTimeout,
          initialDelay: { seconds: 1 },
          scope: 'global',
          // Severity low: the auditor writes it at debug by default, as the
          // task runs every few seconds; what changed is in the outcome.
          fn: async () => {
            await audited(
              auditor,
              { eventId: 'index-refresh', severityLevel: 'low' },
              async () => {
                const refresh = await indexer.refreshIfDue(
                  new Date(),
                  shutdown.signal,
                );
                if (shutdown.signal.aborted && !refresh) {
                  // Cut short by the shutdown: the next run, on any
                  // replica, does the rest. A refresh that finished is
                  // followed through as always.
                  return { refresh };
                }
                return {
                  refresh,
                  heldMemberships: await heldMemberships?.sync(),
                  revocations: refresh
                    ? await revocationWatch.check(
                        Object.values(refresh).some(n => n > 0),
                      )
                    : undefined,
                };
              },
              ({ refresh, heldMemberships: held, revocations }) => ({
                ...(refresh ?? { refreshed: false }),
                ...(held !== undefined ? { heldMemberships: held } : {}),
                ...(revocations ? { revocations: { ...revocations } } : {}),
              }),
            );
          },
        });

        permissionsRegistry.addPermissions(identityPermissions);

        const service = new DefaultIdentityService({
          store,
          catalog,
          auth,
          logger,
          provisioning: scim ?? new ScimAnnotationProvisioningSource(),
          scimOffboarder: scim,
          conflicts: scim,
          staleAfterMs: settings.staleAfterMs,
          requestIndexRefresh: async () => {
            // Recorded in the database: whichever instance runs the task
            // next refreshes at once, whatever the pace.
            await store.requestRefresh(new Date());
            await scheduler.triggerTask(REFRESH_TASK_ID).catch(() => {
              // Already running: its next run picks the change up.
            });
          },
        });

        const router = Router();
        router.use(serverTiming());
        router.use(
          await createRouter({
            service,
            httpAuth,
            permissions,
            auditor,
            defaultPageSize: settings.defaultPageSize,
            maxPageSize: settings.maxPageSize,
          }),
        );
        // Effective access, explained by the permission policy itself.
        const access = new DefaultAccessService({
          explainer,
          resolver,
          accessStore: new DatabaseAccessStore(await database.getClient()),
          identityStore: store,
        });
        router.use(
          await createAccessRouter({
            access,
            httpAuth,
            permissions,
            defaultPageSize: settings.defaultPageSize,
            maxPageSize: settings.maxPageSize,
          }),
        );
        // Access review campaigns: populations frozen from the same index
        // and the same who-can as the access pages. Reviewers are told
        // through Backstage notifications.
        const reviewStore = new DatabaseReviewStore(await database.getClient());
        const reviewNotifier = new NotificationsReviewNotifier(
          notifications,
          logger,
        );
        const reminders = new ReviewReminders({
          store: reviewStore,
          ledger: new DatabaseReminderLedger(await database.getClient()),
          notifier: reviewNotifier,
          reminderBeforeMs: settings.reviewsReminderBeforeMs,
          logger,
        });
        await scheduler.scheduleTask({
          id: REVIEW_REMINDERS_TASK_ID,
          frequency: { minutes: 15 },
          timeout: { minutes: 5 },
          initialDelay: { minutes: 1 },
          scope: 'global',
          fn: async () => {
            await reminders.run();
          },
        });
        router.use(
          '/reviews',
          await createReviewsRouter({
            reviews: new DefaultReviewService({
              store: reviewStore,
              managers: new CatalogManagerReader(catalog, auth),
              notifier: reviewNotifier,
              access,
              index: store,
              groupReviewers: new CatalogGroupReviewersReader(
                catalog,
                auth,
                logger,
              ),
              logger,
              maxItems: settings.reviewsMaxItems,
              revocations: new CatalogRevocationPlanner(
                catalog,
                auth,
                new CatalogFileReader(catalog, auth, logger),
              ),
            }),
            httpAuth,
            permissions,
            auditor,
            defaultPageSize: settings.defaultPageSize,
            maxPageSize: settings.maxPageSize,
          }),
        );
        router.use(databaseUnavailableAs503());
        // Errors as @backstage/errors JSON, without the stack traces the
        // root router adds in development: callers get the message only.
        router.use(
          MiddlewareFactory.create({ config, logger }).error({
            showStackTraces: false,
          }),
        );
        httpRouter.use(router);
      },
    });
  },
});
