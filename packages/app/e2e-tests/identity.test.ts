import { expect, Page, test } from '@playwright/test';
import { SCREENSHOT_DIR, signInAs } from './signIn';

function usersTable(page: Page) {
  return page.getByRole('table', { name: 'Users' });
}

/** Types into the search box and waits for the debounced search to land. */
async function search(page: Page, text: string) {
  const box = page.getByLabel('Search users');
  await box.fill(text);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(text)}`));
}

function row(page: Page, name: string) {
  return usersTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) });
}

test('an admin sees the users, their flags, and narrows them by search', async ({
  page,
}) => {
  await signInAs(page, 'Ada (platform admin)');
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Identity' }).click();
  await expect(page).toHaveURL(/\/identity\/users/);
  await expect(usersTable(page)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Summary' })).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/identity-users.png`,
    fullPage: true,
  });

  await search(page, 'ada.admin');
  await expect(row(page, 'ada.admin')).toBeVisible();

  await search(page, 'olive.orphan');
  await expect(row(page, 'olive.orphan')).toContainText('Orphaned');
  await expect(usersTable(page).getByRole('row')).toHaveCount(2); // header + 1

  await search(page, 'eric.error');
  await expect(row(page, 'eric.error')).toContainText('Processing errors');

  await search(page, 'lonely.user');
  await expect(row(page, 'lonely.user')).toContainText('No groups');

  await search(page, '.dup');
  await expect(row(page, 'dana.dup')).toContainText('Duplicate email');
  await expect(row(page, 'dave.dup')).toContainText('Duplicate email');
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/identity-search.png`,
    fullPage: true,
  });
});

test('a status tile filters the table and the filter is in the URL', async ({
  page,
}) => {
  await signInAs(page, 'Ada (platform admin)');
  await page.goto('/identity/users');
  await page
    .getByRole('region', { name: 'Summary' })
    .getByRole('button', { name: /^Orphaned: / })
    .click();
  await expect(page).toHaveURL(/status=orphaned/);
  await expect(row(page, 'olive.orphan')).toBeVisible();
  await expect(row(page, 'ada.admin')).toHaveCount(0);

  // The same link gives the same view.
  await page.reload();
  await expect(row(page, 'olive.orphan')).toBeVisible();
  await expect(row(page, 'ada.admin')).toHaveCount(0);
});

test('a user detail shows the inherited membership path', async ({ page }) => {
  await signInAs(page, 'Ada (platform admin)');
  await page.goto('/identity/users?q=nina.nested');
  await row(page, 'nina.nested')
    .getByRole('link', { name: 'nina.nested', exact: true })
    .click();
  await expect(page).toHaveURL(/\/identity\/users\/default\/nina\.nested/);

  const memberships = page.getByRole('table', { name: 'Memberships' });
  const inherited = memberships
    .getByRole('row')
    .filter({ hasText: 'Inherited' })
    .filter({
      has: page.getByLabel(
        'Path: nina.nested → platform-admins-emea → platform-admins',
      ),
    });
  await expect(inherited).toBeVisible();
  await expect(page.getByText('Provenance')).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/identity-user-detail.png`,
    fullPage: true,
  });
});

test('the groups tab shows the hierarchy with member counts', async ({
  page,
}) => {
  await signInAs(page, 'Ada (platform admin)');
  await page.goto('/identity/groups');
  const tree = page.getByRole('tree', { name: 'Group hierarchy' });
  await expect(
    tree.getByRole('link', { name: /platform-admins-emea/i }),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/identity-groups.png`,
    fullPage: true,
  });
});

test('an ordinary user gets the not-allowed page', async ({ page }) => {
  await signInAs(page, 'Oscar (ordinary user)');
  await page.goto('/identity');
  await expect(
    page.getByText('You are not allowed to view identities'),
  ).toBeVisible();
  await expect(usersTable(page)).toHaveCount(0);
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/identity-not-allowed.png`,
    fullPage: true,
  });
});
