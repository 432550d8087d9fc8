import { APIRequestContext, expect, Page, test } from '@playwright/test';
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

test('the back button returns to a search whose row was clicked at once', async ({
  page,
}) => {
  await signInAs(page, 'Ada (platform admin)');
  await page.goto('/identity/users');
  await expect(row(page, 'ada.admin')).toBeVisible();
  // No waiting for the URL: the click comes as soon as the rows show,
  // before the page's own pause-then-write would put the search there.
  await page.getByLabel('Search users').fill('olive');
  await expect(row(page, 'ada.admin')).toHaveCount(0);
  await row(page, 'olive.orphan')
    .getByRole('link', { name: 'olive.orphan', exact: true })
    .click();
  await expect(page).toHaveURL(/\/identity\/users\/default\/olive\.orphan/);

  await page.goBack();
  await expect(page).toHaveURL(/\/identity\/users\?(.*&)?q=olive(&|$)/);
  await expect(page.getByLabel('Search users')).toHaveValue('olive');
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

  const memberships = page.getByRole('table', {
    name: 'Memberships',
    exact: true,
  });
  const inherited = memberships
    .getByRole('row')
    .filter({ hasText: 'Inherited' })
    .filter({
      has: page.getByLabel(
        'Path: nina.nested → platform-admins-emea → platform-admins',
        { exact: true },
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
    tree.getByRole('link', { name: 'Platform Admins EMEA', exact: true }),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/identity-groups.png`,
    fullPage: true,
  });
});

test('an ordinary user who follows a link to the users gets only My access', async ({
  page,
}) => {
  await signInAs(page, 'Oscar (ordinary user)');
  await page.goto('/identity/users/default/ada.admin');
  await expect(page).toHaveURL(/\/identity\/my-access$/);
  await expect(page.getByRole('table', { name: 'My access' })).toBeVisible();
  await expect(usersTable(page)).toHaveCount(0);
  await expect(
    page.getByRole('table', { name: 'Memberships', exact: true }),
  ).toHaveCount(0);
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/identity-ordinary-user-link.png`,
    fullPage: true,
  });
});

/**
 * The backend the portal under test talks to: PLAYWRIGHT_BACKEND_URL when
 * PLAYWRIGHT_URL points at a portal on other ports, else the one Playwright
 * starts.
 */
const BACKEND_URL =
  process.env.PLAYWRIGHT_BACKEND_URL ?? 'http://localhost:7007';

/** A Backstage token for a demo user, from the demo sign-in provider. */
async function tokenFor(request: APIRequestContext, userRef: string) {
  const res = await request.get(
    `${BACKEND_URL}/api/auth/demo/refresh?optional&env=development`,
    {
      headers: { 'x-demo-user': userRef, 'x-requested-with': 'XMLHttpRequest' },
    },
  );
  expect(res.status()).toBe(200);
  return (await res.json()).backstageIdentity.token as string;
}

test('an ordinary user cannot call the identity API; an admin can', async ({
  request,
}) => {
  const oscar = await tokenFor(request, 'user:default/oscar.ordinary');
  for (const path of ['/users', '/summary', '/export.csv']) {
    const res = await request.get(`${BACKEND_URL}/api/identity${path}`, {
      headers: { Authorization: `Bearer ${oscar}` },
    });
    expect([path, res.status()]).toEqual([path, 403]);
  }
  const offboard = await request.post(
    `${BACKEND_URL}/api/identity/users/default/ada.admin/offboard`,
    { headers: { Authorization: `Bearer ${oscar}` } },
  );
  expect(offboard.status()).toBe(403);

  const ada = await tokenFor(request, 'user:default/ada.admin');
  const res = await request.get(
    `${BACKEND_URL}/api/identity/users?q=oscar.ordinary`,
    { headers: { Authorization: `Bearer ${ada}` } },
  );
  expect(res.status()).toBe(200);
  expect((await res.json()).items.map((u: any) => u.name)).toContain(
    'oscar.ordinary',
  );
});

test('a reader who may not offboard sees no offboard action', async ({
  page,
}) => {
  // Sam (SRE) may read identities and refresh entities, not offboard.
  await signInAs(page, 'Sam (SRE)');
  await page.goto('/identity/users/default/oscar.ordinary');
  await expect(
    page.getByRole('table', { name: 'Memberships', exact: true }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Offboard' })).toHaveCount(0);
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/identity-reader-no-offboard.png`,
    fullPage: true,
  });
});

test('an admin offboards a user, told first that its file still emits it', async ({
  page,
}) => {
  // A generated contractor no other test relies on.
  const victim = 'uma.meyer';
  await signInAs(page, 'Ada (platform admin)');
  await page.goto(`/identity/users/default/${victim}`);
  await page.getByRole('button', { name: 'Offboard' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('offboard-preview')).toContainText(
    'directory-contractors.yaml',
  );
  await expect(dialog).toContainText('It will come back at the next refresh');
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/identity-offboard-preview.png`,
    fullPage: true,
  });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page).toHaveURL(/\/identity\/users(\?|$)/);
  // The success alert repeats the preview's warning, naming the file.
  await expect(
    page.getByText(/directory-contractors\.yaml/).first(),
  ).toBeVisible();

  // As the preview said: the file still emits the user, so the catalog
  // brings it back and the page lists it again.
  await expect(async () => {
    await page.goto(`/identity/users?q=${victim}`);
    await expect(row(page, victim)).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
});
