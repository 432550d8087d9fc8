import { test, expect, Page } from '@playwright/test';
import { SCREENSHOT_DIR, signInAs } from './signIn';

/**
 * The catalog's own "Unregister entity" action follows the identity policy
 * (identityPolicy in app-config.yaml): an ordinary user cannot use it on a
 * user's page, a platform admin can, and the deletion goes through.
 *
 * The stock catalog renders the menu item disabled (not hidden) when the
 * permission is denied, so "cannot use it" accepts either.
 */

// A generated demo user no other test relies on.
const VICTIM = 'ben.petrov';

async function openEntityMenu(page: Page) {
  await page.goto(`/catalog/default/user/${VICTIM}`);
  await expect(
    page.getByRole('heading', { name: /ben/i }).first(),
  ).toBeVisible();
  await page.getByRole('button', { name: 'More actions' }).click();
  return page.getByRole('menuitem', { name: 'Unregister entity' });
}

test('an ordinary user cannot unregister a user', async ({ page }) => {
  await signInAs(page, 'Oscar (ordinary user)');
  const unregister = await openEntityMenu(page);
  // Other items render, so the menu is open and the check has had its chance.
  await expect(
    page.getByRole('menuitem', { name: 'Inspect entity' }),
  ).toBeVisible();
  await expect(async () => {
    if ((await unregister.count()) > 0) {
      await expect(unregister).toBeDisabled();
    }
  }).toPass();
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/policy-ordinary-user-menu.png`,
  });
});

test('a platform admin can unregister a user, and the catalog accepts it', async ({
  page,
}) => {
  await signInAs(page, 'Ada (platform admin)');
  const unregister = await openEntityMenu(page);
  await expect(unregister).toBeEnabled();
  await page.screenshot({ path: `${SCREENSHOT_DIR}/policy-admin-menu.png` });
  await unregister.click();

  // The demo organisation comes from app-config locations, so the dialog
  // offers deleting the entity itself under "Advanced Options".
  const dialog = page.getByRole('dialog');
  await expect(
    dialog.getByText('Are you sure you want to unregister this entity?'),
  ).toBeVisible();
  const advanced = dialog.getByRole('button', { name: 'Advanced Options' });
  if (await advanced.isVisible()) {
    await advanced.click();
  }
  await dialog.getByRole('button', { name: 'Delete Entity' }).click();
  // Shown only once the catalog answered the DELETE with success.
  await expect(page.getByText(`Removed entity ${VICTIM}`)).toBeVisible();
  // No check that it stays gone: the catalog reprocesses the location that
  // emits it right after a deletion, and it is back within seconds.
});
