import { expect, Page } from '@playwright/test';

/** Folder where the end-to-end tests save their screenshots. */
export const SCREENSHOT_DIR = 'e2e-results/screenshots';

/**
 * Signs in through the demo sign-in page as one of the users listed in
 * app-config.yaml's demoSignIn.users, by the title shown on its card.
 */
export async function signInAs(page: Page, title: string) {
  await page.goto('/');
  await page.getByRole('button', { name: `Sign in as ${title}` }).click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Settings' }),
  ).toBeVisible();
}
