import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Development only: the sign-in page's "choose a demo user" picker.
backend.add(import('./modules/authModuleDemoProvider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// SCIM 2.0 provisioning: the scim plugin (/api/scim/v2) and the catalog
// module that emits its users and groups.
backend.add(import('@identity-governance/plugin-scim-backend'));
backend.add(import('@identity-governance/plugin-catalog-backend-module-scim'));
// Demo only: a directory that drifts (an orphan and a processing error).
backend.add(import('./modules/demoDirectoryDrift'));

// The Identity page's API (/api/identity): users, groups and provenance.
backend.add(import('@identity-governance/plugin-identity-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
// Destructive catalog operations only for configured groups (identityPolicy).
backend.add(
  import(
    '@identity-governance/plugin-permission-backend-module-identity-policy'
  ),
);

backend.add(import('@backstage/plugin-user-settings-backend'));
// User settings storage pushes changes to other tabs through signals.
backend.add(import('@backstage/plugin-signals-backend'));
// Notifications (/api/notifications): the identity plugin tells reviewers of
// access review campaigns when items are assigned and before they are due.
backend.add(import('@backstage/plugin-notifications-backend'));

// A plugin that fails to initialise makes start() reject. Left unhandled,
// the process would log it and stay up half-started: its health check
// failing forever, never restarted by the orchestrator, holding database
// connections. Exit non-zero instead, so that it is restarted or seen.
backend.start().catch(error => {
  // eslint-disable-next-line no-console
  console.error('Backend failed to start', error);
  process.exit(1);
});
