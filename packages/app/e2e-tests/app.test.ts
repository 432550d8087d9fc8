import { test, expect } from '@playwright/test';
import { SCREENSHOT_DIR, signInAs } from './signIn';

test('signs in as a demo user and reaches the catalog with the demo users', async ({
  page,
}) => {
  await signInAs(page, 'Oscar (ordinary user)');

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();

  // The demo organisation's users are in the catalog.
  await page.goto('/?filters[kind]=user&filters[user]=all');
  await expect(page.getByRole('link', { name: 'Ada Admin' })).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/catalog-users.png`,
    fullPage: true,
  });
});

test('the sign-in page offers the demo users and the catalog needs a session', async ({
  page,
}) => {
  await page.goto('/');
  for (const title of [
    'Ada (platform admin)',
    'Nina (nested admin)',
    'Oscar (ordinary user)',
  ]) {
    await expect(
      page.getByRole('button', { name: `Sign in as ${title}` }),
    ).toBeVisible();
  }
  await page.screenshot({ path: `${SCREENSHOT_DIR}/sign-in.png` });
});
