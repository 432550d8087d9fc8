import { expect, test } from '@playwright/test';
import { SCREENSHOT_DIR, signInAs } from './signIn';

// The demo's legacy HR export (an origin in no directory) declares
// legacy-admins under platform-admins with oscar.ordinary in it. The page
// shows that membership as not counted, as the policy does not count it.
test('an admin sees a self-promotion through an untrusted file as a membership that does not count', async ({
  page,
}) => {
  await signInAs(page, 'Ada (platform admin)');
  await page.goto('/identity/users/default/oscar.ordinary');

  const counted = page.getByRole('table', { name: 'Memberships', exact: true });
  await expect(counted).toBeVisible();
  await expect(counted).not.toContainText('platform-admins');
  await expect(counted).not.toContainText('legacy-admins');

  // The export is registered a few seconds after startup.
  const uncounted = page.getByRole('table', {
    name: 'Memberships that do not count',
  });
  await expect(async () => {
    await page.reload();
    await expect(uncounted).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  const row = uncounted
    .getByRole('row')
    .filter({ hasText: 'legacy-admins' })
    .first();
  await expect(row).toContainText('Untrusted origin');
  // What the untrusted group was after.
  await expect(row).toContainText('would reach platform-admins');
  await expect(row).toContainText('no directory');
  await expect(page.getByText('Memberships not counted').first()).toBeVisible();
  await uncounted.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/identity-uncounted-memberships.png`,
    fullPage: true,
  });

  // The users list filters on the flag.
  await page.goto('/identity/users?status=uncountedMemberships');
  await expect(
    page
      .getByRole('table', { name: 'Users' })
      .getByRole('link', { name: 'oscar.ordinary', exact: true }),
  ).toBeVisible();
});
