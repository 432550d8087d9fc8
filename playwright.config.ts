import { defineConfig } from '@playwright/test';
import { generateProjects } from '@backstage/e2e-test-utils/playwright';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/debianChromium';

/**
 * End-to-end tests run in Debian's Chromium (scripts/debianChromium.ts). The
 * portal is started by Playwright itself (the backend, and the app's
 * production build) unless PLAYWRIGHT_URL points at one that is already
 * running.
 */

// The demo's entra IdP may push over SCIM during the tests (reviews.test.ts):
// the backend Playwright starts reads its token from here, and so do the
// tests. A portal started by hand needs the same SCIM_ENTRA_TOKEN.
process.env.SCIM_ENTRA_TOKEN ??= 'e2e-scim-entra-token';

export default defineConfig({
  timeout: 120_000,

  expect: {
    timeout: 30_000,
  },

  webServer: process.env.PLAYWRIGHT_URL
    ? []
    : [
        {
          // The backend's log goes to a file, not the test output: a failing
          // test's backend side is then there to read.
          command:
            'mkdir -p e2e-results && yarn workspace backend start > e2e-results/backend.log',
          url: 'http://localhost:7007/.backstage/health/v1/readiness',
          reuseExistingServer: !process.env.CI,
          timeout: 240_000,
          stdout: 'ignore',
          stderr: 'pipe',
        },
        {
          // The production build, as users get it (scripts/serveApp.mjs): a
          // page loads in a fraction of the development server's time.
          // E2E_APP=dev tests the development server instead.
          command:
            process.env.E2E_APP === 'dev'
              ? 'yarn workspace app start'
              : 'yarn workspace app build && node scripts/serveApp.mjs 3000',
          url: 'http://localhost:3000',
          reuseExistingServer: !process.env.CI,
          timeout: 600_000,
        },
      ],

  forbidOnly: !!process.env.CI,

  retries: process.env.CI ? 1 : 0,

  workers: 1,

  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],

  use: {
    actionTimeout: 30_000,
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
    },
  },

  outputDir: 'e2e-results/artifacts',

  // generateProjects() pins the "chrome" channel; we launch Debian's Chromium
  // through executablePath instead, so drop the channel.
  projects: (generateProjects() ?? []).map(project => ({
    ...project,
    use: {},
  })),
});
