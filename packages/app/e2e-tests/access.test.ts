import { expect, Page, test } from '@playwright/test';
import { SCREENSHOT_DIR, signInAs } from './signIn';

/**
 * Effective access on the Identity page, against the demo organisation and
 * the identityPolicy of app-config.yaml: platform-admins (ada directly, nina
 * through platform-admins-emea) may do everything; sre (sam) may refresh
 * entities and read the Identity page; oscar is in no allowed group.
 */

/** The row of a table whose first cell names `permission`. */
function permissionRow(page: Page, table: string, permission: string) {
  return page
    .getByRole('table', { name: table, exact: true })
    .getByRole('row')
    .filter({ has: page.getByText(permission, { exact: true }) });
}

test("an admin sees why an ordinary user is denied, on the user's Access tab", async ({
  page,
}) => {
  await signInAs(page, 'Ada (platform admin)');
  await page.goto('/identity/users/default/oscar.ordinary');
  await page.getByRole('tab', { name: 'Access', exact: true }).click();
  await expect(page).toHaveURL(
    /\/identity\/users\/default\/oscar\.ordinary\/access$/,
  );

  const del = permissionRow(page, 'Access', 'catalog.entity.delete');
  await expect(del).toContainText('Denied');
  await expect(del).toContainText('Not in an allowed group');
  const read = permissionRow(page, 'Access', 'identity.read');
  await expect(read).toContainText('Denied');
  await expect(
    page
      .getByRole('table', { name: 'Access', exact: true })
      .getByText('Allowed', { exact: true }),
  ).toHaveCount(0);
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/access-user-tab.png`,
    fullPage: true,
  });
});

test('an admin sees the path of a nested admin on her Access tab', async ({
  page,
}) => {
  await signInAs(page, 'Ada (platform admin)');
  await page.goto('/identity/users/default/nina.nested/access');
  const del = permissionRow(page, 'Access', 'catalog.entity.delete');
  await expect(del).toContainText('Allowed');
  await expect(del).toContainText('Admin group platform-admins');
  await expect(
    del.getByLabel(
      'Path: nina.nested → platform-admins-emea → platform-admins',
      { exact: true },
    ),
  ).toBeVisible();
  // Each edge names the entity that declared it.
  await expect(del.getByRole('list', { name: 'Path sources' })).toContainText(
    'nina.nested → platform-admins-emea: declared by',
  );
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/access-user-tab-nested.png`,
    fullPage: true,
  });
});

test('who can delete catalog entities: ada and nina, with their paths, searchable', async ({
  page,
}) => {
  await signInAs(page, 'Ada (platform admin)');
  await page.goto('/identity/who-can?permission=catalog.entity.delete');
  const table = page.getByRole('table', { name: 'Who can' });
  const row = (name: string) =>
    table.getByRole('row').filter({
      has: page.getByRole('link', { name, exact: true }),
    });
  await expect(row('ada.admin')).toBeVisible();
  await expect(
    row('nina.nested').getByLabel(
      'Path: nina.nested → platform-admins-emea → platform-admins',
      { exact: true },
    ),
  ).toBeVisible();
  await expect(row('oscar.ordinary')).toHaveCount(0);
  await expect(row('sam.sre')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/access-who-can.png`,
    fullPage: true,
  });

  await page.getByLabel('Search users').fill('nina');
  await expect(page).toHaveURL(/[?&]q=nina/);
  await expect(row('ada.admin')).toHaveCount(0);
  await expect(row('nina.nested')).toBeVisible();

  // The CSV export downloads the whole list.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(
    /^who-can-catalog\.entity\.delete-.*\.csv$/,
  );
});

test('check access explains one decision', async ({ page }) => {
  await signInAs(page, 'Ada (platform admin)');
  await page.goto('/identity/check-access');
  await page.getByLabel('User').fill('user:default/sam.sre');
  await page.getByLabel('Permission').selectOption('catalog.entity.refresh');
  await page.getByRole('button', { name: 'Check' }).click();
  const decision = page.getByRole('region', { name: 'Decision' });
  await expect(decision).toContainText('Allowed');
  await expect(decision).toContainText('sre');
  await expect(
    decision.getByLabel('Path: sam.sre → sre', { exact: true }),
  ).toBeVisible();

  await page.getByLabel('Permission').selectOption('catalog.entity.delete');
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(decision).toContainText('Denied');
  await expect(decision).toContainText('Not in an allowed group');
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/access-check.png`,
    fullPage: true,
  });
});

test('an ordinary user sees only My access: his denials and why', async ({
  page,
}) => {
  await signInAs(page, 'Oscar (ordinary user)');
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Identity' }).click();
  await expect(page).toHaveURL(/\/identity\/my-access$/);

  const del = permissionRow(page, 'My access', 'catalog.entity.delete');
  await expect(del).toContainText('Denied');
  await expect(del).toContainText('not in an allowed group');
  await expect(permissionRow(page, 'My access', 'identity.read')).toContainText(
    'Denied',
  );

  // Nothing else of the page: no other tab, no users, no not-allowed page.
  for (const tab of [
    'Users',
    'Groups',
    'Who can',
    'Check access',
    'Policy dry-run',
  ]) {
    await expect(page.getByRole('tab', { name: tab, exact: true })).toHaveCount(
      0,
    );
    await expect(
      page.getByRole('link', { name: tab, exact: true }),
    ).toHaveCount(0);
  }
  await expect(page.getByRole('table', { name: 'Users' })).toHaveCount(0);
  await expect(
    page.getByText('You are not allowed to view identities'),
  ).toHaveCount(0);
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/access-my-access-ordinary.png`,
    fullPage: true,
  });
});

test("a dry-run that adds sam's group to the admin groups shows sam gaining", async ({
  page,
}) => {
  await signInAs(page, 'Ada (platform admin)');
  await page.goto('/identity/dry-run');
  const yaml = page.getByLabel('Proposed identityPolicy (YAML)');
  // Prefilled from the live policy.
  await expect(yaml).toHaveValue(/group:default\/platform-admins/);

  await yaml.fill(
    [
      'adminGroups: [group:default/platform-admins]',
      'rules:',
      '  - permission: catalog.entity.nuke',
      '    allowGroups: [group:default/sre]',
    ].join('\n'),
  );
  await page.getByRole('button', { name: 'Run' }).click();
  // The policy's own startup validation message, as the backend sent it.
  const error = page.getByRole('alert');
  await expect(error).toContainText('Invalid identity policy config:');
  await expect(error).toContainText(
    "identityPolicy.rules[0].permission: unknown permission 'catalog.entity.nuke'",
  );
  await expect(
    page.getByRole('region', { name: 'Dry-run results' }),
  ).toHaveCount(0);
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/access-dry-run-invalid.png`,
    fullPage: true,
  });

  await yaml.fill(
    [
      'identityPolicy:',
      '  adminGroups:',
      '    - group:default/platform-admins',
      '    - group:default/sre',
      '  rules:',
      '    - permission: catalog.entity.refresh',
      '      allowGroups: [group:default/sre]',
      '    - permission: identity.read',
      '      allowGroups: [group:default/sre]',
    ].join('\n'),
  );
  await page.getByRole('button', { name: 'Run' }).click();
  const del = page.getByRole('region', {
    name: 'Changes to catalog.entity.delete',
  });
  await expect(del.getByText(/^[1-9]\d* would gain$/)).toBeVisible();
  await expect(del.getByText('0 would lose')).toBeVisible();
  await expect(
    del
      .getByRole('list', { name: 'Would gain' })
      .getByRole('link', { name: 'sam.sre', exact: true })
      .first(),
  ).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.screenshot({
    path: `${SCREENSHOT_DIR}/access-dry-run.png`,
    fullPage: true,
  });
});
