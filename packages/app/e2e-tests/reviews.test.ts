import { Browser, expect, Page, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { SCREENSHOT_DIR, signInAs } from './signIn';

/**
 * A whole access review campaign in the demo portal. Ada (review manager)
 * starts a campaign over every privileged user with Sam (SRE) and Oscar
 * (no identity.read) as default reviewers; platform-admins and sre name no
 * reviewers of their own, so the backend spreads the people over the two,
 * and nobody reviews their own access while the other can. Sam keeps his
 * page of items at once and revokes one with a comment; Oscar sees his
 * items and nothing else of the Identity page; Ada follows the progress,
 * closes the campaign and exports the evidence.
 *
 * The portal may be one left running from an earlier run: the campaign's
 * name is unique to this run, and nothing counts campaigns.
 */

test.use({ viewport: { width: 1280, height: 900 } });

const SAM = 'user:default/sam.sre';
const OSCAR = 'user:default/oscar.ordinary';

type Item = {
  id: string;
  reviewer: string;
  decision?: string;
  comment?: string;
  revocation?: { status: string; steps: unknown[] };
};

/**
 * The reviews API as the user signed in on `page`: with the token the app
 * itself sends, taken from a request of the page's next load.
 */
async function reviewsApiOf(page: Page) {
  const [request] = await Promise.all([
    page.waitForRequest(
      r => r.url().includes('/api/identity/') && !!r.headers().authorization,
    ),
    page.reload(),
  ]);
  const base = request
    .url()
    .replace(/\/api\/identity\/.*$/, '/api/identity/reviews');
  const headers = { authorization: request.headers().authorization };
  return {
    /** The backend's base URL, e.g. http://localhost:7007. */
    backend: request.url().replace(/\/api\/identity\/.*$/, ''),
    headers,
    get: (path: string) => page.request.get(`${base}${path}`, { headers }),
    post: (path: string, data: unknown) =>
      page.request.post(`${base}${path}`, { headers, data }),
  };
}

async function signedIn(browser: Browser, title: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, title);
  return page;
}

/** The Reviews tab, the way a user finds it: Identity in the sidebar. */
async function openReviews(page: Page) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Identity' })
    .click();
  await page.getByRole('tab', { name: 'Reviews', exact: true }).click();
}

function itemsTable(page: Page) {
  return page.getByRole('table', { name: 'Review items' });
}

/** Column headers of the page's tables that take more than one line. */
async function wrappedHeaders(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('table thead th')]
      .filter(th => {
        // The lines its text takes: text nodes only, not a checkbox's icon.
        const tops = new Set<number>();
        const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const rect of range.getClientRects()) {
            tops.add(Math.round(rect.top));
          }
        }
        return tops.size > 1;
      })
      .map(th => th.textContent ?? ''),
  );
}

test('a campaign from start to evidence: manager, reviewers, close, export', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const name = `Privileged access ${Date.now()}`;

  // Ada starts the campaign.
  const ada = await signedIn(browser, 'Ada (platform admin)');
  await openReviews(ada);
  await ada.getByRole('button', { name: 'Start campaign' }).click();
  const dialog = ada.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog
    .getByLabel('Every privileged user (any guarded permission)')
    .check();
  await dialog.getByLabel('Default reviewers').fill('sam.sre, oscar.ordinary');
  await ada.screenshot({
    path: `${SCREENSHOT_DIR}/reviews-start-dialog.png`,
    fullPage: true,
  });
  await dialog.getByRole('button', { name: 'Start' }).click();

  await expect(ada).toHaveURL(/\/identity\/reviews\/[0-9a-f-]{36}$/);
  const campaignId = ada.url().split('/').pop()!;
  await expect(ada.getByRole('heading', { name })).toBeVisible();
  await expect(ada.getByText(/^0 of \d+ decided$/).first()).toBeVisible();
  const progress = ada.getByRole('table', { name: 'Reviewer progress' });
  await expect(progress.getByText('sam.sre', { exact: true })).toBeVisible();
  await expect(
    progress.getByText('oscar.ordinary', { exact: true }),
  ).toBeVisible();
  expect(await wrappedHeaders(ada)).toEqual([]);
  await ada.screenshot({
    path: `${SCREENSHOT_DIR}/reviews-campaign-started.png`,
    fullPage: true,
  });

  const adaApi = await reviewsApiOf(ada);
  const all: Item[] = (
    await (await adaApi.get(`/campaigns/${campaignId}/items?limit=100`)).json()
  ).items;
  const samItems = all.filter(i => i.reviewer === SAM);
  const oscarItems = all.filter(i => i.reviewer === OSCAR);
  expect(samItems.length).toBeGreaterThanOrEqual(2);
  expect(oscarItems.length).toBeGreaterThanOrEqual(1);
  expect(samItems.length + oscarItems.length).toBe(all.length);

  // Sam sees his items only.
  const sam = await signedIn(browser, 'Sam (SRE)');
  await sam.goto('/identity/reviews');
  await sam.getByRole('link', { name, exact: true }).click();
  const samTable = itemsTable(sam);
  await expect(samTable.getByRole('row')).toHaveCount(samItems.length + 1);
  await expect(sam.getByRole('button', { name: 'Close campaign' })).toHaveCount(
    0,
  );

  // A page of keeps in one request, then the exception revoked.
  await sam.getByRole('checkbox', { name: 'Select all on this page' }).check();
  const bulk = sam.getByRole('region', { name: 'Bulk decision' });
  await expect(bulk).toContainText(`${samItems.length} selected`);
  await bulk.getByRole('button', { name: 'Keep selected' }).click();
  await expect(bulk).toHaveCount(0);
  await expect(
    samTable.getByRole('button', { name: 'Keep', pressed: true }),
  ).toHaveCount(samItems.length);

  const first = samTable.getByRole('row').nth(1);
  await first.getByRole('textbox').fill('No longer on the platform team');
  await first.getByRole('button', { name: 'Revoke' }).click();
  await expect(
    first.getByRole('button', { name: 'Revoke', pressed: true }),
  ).toBeVisible();
  // His own line of progress: all decided.
  await expect(
    sam.getByRole('table', { name: 'Reviewer progress' }).getByRole('row'),
  ).toHaveCount(2);
  await expect(
    sam.getByRole('table', { name: 'Reviewer progress' }),
  ).toContainText(`${samItems.length} of ${samItems.length} decided`);
  expect(await wrappedHeaders(sam)).toEqual([]);
  await sam.screenshot({
    path: `${SCREENSHOT_DIR}/reviews-reviewer.png`,
    fullPage: true,
  });

  // The backend, asked as Sam: his items only; another reviewer's item
  // and a campaign without items of his are not found.
  const samApi = await reviewsApiOf(sam);
  const mine = await samApi.get(`/campaigns/${campaignId}/items?limit=100`);
  expect(mine.status()).toBe(200);
  const mineItems: Item[] = (await mine.json()).items;
  expect(mineItems.map(i => i.reviewer)).toEqual(samItems.map(() => SAM));
  const revoked = mineItems.filter(i => i.decision === 'revoke');
  expect(revoked.map(i => i.comment)).toEqual([
    'No longer on the platform team',
  ]);
  const othersItem = await samApi.post(`/campaigns/${campaignId}/decisions`, {
    decisions: [{ itemId: oscarItems[0].id, decision: 'keep' }],
  });
  expect(othersItem.status()).toBe(404);
  const due = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const ninas = await adaApi.post('/campaigns', {
    name: `${name} (Nina's)`,
    scope: { type: 'permission', permission: 'catalog.entity.delete' },
    dueAt: due,
    defaultReviewers: ['user:default/nina.nested'],
  });
  expect(ninas.status()).toBe(201);
  const ninasId = (await ninas.json()).id;
  expect((await samApi.get(`/campaigns/${ninasId}`)).status()).toBe(404);
  expect((await samApi.get(`/campaigns/${ninasId}/items`)).status()).toBe(404);

  // The revocation's follow-up: what to change at each source.
  expect(revoked[0].revocation?.status).toMatch(/^(pending|effective)$/);
  {
    await first
      .getByRole('button', { name: /^Revocation (pending|effective)$/ })
      .click();
    const steps = sam
      .getByRole('dialog')
      .getByRole('list', { name: 'Revocation steps' })
      .getByRole('listitem');
    await expect(steps).toHaveCount(revoked[0].revocation!.steps.length);
    await sam.screenshot({
      path: `${SCREENSHOT_DIR}/reviews-revocation.png`,
      fullPage: true,
    });
    await sam.getByRole('button', { name: 'Done' }).click();
  }

  // Oscar, without identity.read: his reviews and My access, nothing else.
  const oscar = await signedIn(browser, 'Oscar (ordinary user)');
  await openReviews(oscar);
  await oscar.getByRole('link', { name, exact: true }).click();
  await expect(itemsTable(oscar).getByRole('row')).toHaveCount(
    oscarItems.length + 1,
  );
  for (const tab of ['Users', 'Groups', 'Who can', 'Check access']) {
    await expect(
      oscar.getByRole('tab', { name: tab, exact: true }),
    ).toHaveCount(0);
  }
  // Paths are text: links to users would lead him nowhere.
  await expect(itemsTable(oscar).getByRole('link')).toHaveCount(0);
  await oscar.screenshot({
    path: `${SCREENSHOT_DIR}/reviews-reviewer-without-identity-read.png`,
    fullPage: true,
  });

  // Ada sees Sam done, closes the campaign, and it is read-only.
  await ada.reload();
  const samLine = ada
    .getByRole('table', { name: 'Reviewer progress' })
    .getByRole('row')
    .filter({ hasText: 'sam.sre' });
  await expect(samLine).toContainText(
    `${samItems.length} of ${samItems.length} decided`,
  );
  await ada.getByRole('button', { name: 'Close campaign' }).click();
  await ada
    .getByRole('dialog')
    .getByRole('button', { name: 'Close campaign' })
    .click();
  await expect(ada.getByRole('status')).toContainText('read only');
  await expect(ada.getByRole('button', { name: 'Close campaign' })).toHaveCount(
    0,
  );
  // The revocation's follow-up stays readable; no decision button does.
  await expect(itemsTable(ada).getByRole('button')).toHaveCount(1);
  await expect(itemsTable(ada).getByRole('checkbox')).toHaveCount(0);
  await ada.screenshot({
    path: `${SCREENSHOT_DIR}/reviews-closed.png`,
    fullPage: true,
  });

  // Sam can no longer decide.
  await sam.reload();
  await expect(sam.getByRole('status')).toContainText('read only');
  // The items load after the campaign: a count taken before they show would
  // be 0 whatever the page offers.
  await expect(itemsTable(sam).getByRole('row').nth(1)).toBeVisible();
  await expect(
    itemsTable(sam).getByRole('button', { name: 'Keep' }),
  ).toHaveCount(0);

  // The evidence: every item with its decision.
  const download = ada.waitForEvent('download');
  await ada.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await readFile((await (await download).path())!, 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toContain('decision');
  expect(lines).toHaveLength(all.length + 1);
  expect(lines.filter(l => l.includes(',revoke,'))).toHaveLength(1);
  expect(csv).toContain('No longer on the platform team');
  expect(lines.filter(l => l.includes(',keep,'))).toHaveLength(
    samItems.length - 1,
  );

  // The printable report.
  const report = await adaApi.get(`/campaigns/${campaignId}/report`);
  expect(report.status()).toBe(200);
  const popup = ada.waitForEvent('popup');
  await ada.getByRole('button', { name: 'Printable report' }).click();
  const win = await popup;
  await expect(win.locator('body')).toContainText(name);
  await expect(win.locator('body')).toContainText(
    'No longer on the platform team',
  );
  await win.screenshot({
    path: `${SCREENSHOT_DIR}/reviews-report.png`,
    fullPage: true,
  });

  // The list shows the campaign closed and complete as far as Sam goes.
  await ada.getByRole('link', { name: 'All campaigns' }).click();
  const row = ada
    .getByRole('table', { name: 'Access review campaigns' })
    .getByRole('row')
    .filter({ has: ada.getByRole('link', { name, exact: true }) });
  await expect(row).toContainText('Closed');
  await expect(row).toContainText(`${samItems.length} of ${all.length}`);
  expect(await wrappedHeaders(ada)).toEqual([]);
  await ada.screenshot({
    path: `${SCREENSHOT_DIR}/reviews-list.png`,
    fullPage: true,
  });
});

/** The entra IdP's token: playwright.config.ts gives the backend it. */
const SCIM_TOKEN = process.env.SCIM_ENTRA_TOKEN!;

test('a revoked SCIM membership shows as taken effect once the IdP removes it, without a click', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const stamp = Date.now();
  const name = `SCIM group review ${stamp}`;
  const ada = await signedIn(browser, 'Ada (platform admin)');
  await openReviews(ada);
  const adaApi = await reviewsApiOf(ada);
  const scim = (method: string, path: string, data?: unknown) =>
    ada.request.fetch(`${adaApi.backend}/api/scim/v2${path}`, {
      method,
      headers: {
        authorization: `Bearer ${SCIM_TOKEN}`,
        'content-type': 'application/scim+json',
      },
      data,
    });

  // The IdP provisions Rita into a group of its own.
  const user = await scim('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `rita.review.${stamp}@example.com`,
    name: { givenName: 'Rita', familyName: 'Review' },
    active: true,
  });
  expect(user.status(), await user.text()).toBe(201);
  const userId: string = (await user.json()).id;
  const group = await scim('POST', '/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: `Reviewed ${stamp}`,
    members: [{ value: userId }],
  });
  expect(group.status(), await group.text()).toBe(201);
  const groupId: string = (await group.json()).id;

  try {
    // The group's entity, once the catalog has it.
    let groupRef = '';
    await expect
      .poll(
        async () => {
          const res = await ada.request.get(
            `${adaApi.backend}/api/catalog/entities/by-query?filter=kind=group,metadata.annotations.scim.identity-governance.io/id=${groupId}`,
            { headers: adaApi.headers },
          );
          const [entity] = (await res.json()).items ?? [];
          groupRef = entity
            ? `group:${entity.metadata.namespace}/${entity.metadata.name}`
            : '';
          return groupRef;
        },
        { timeout: 60_000 },
      )
      .not.toBe('');

    // Ada reviews the group's members, once the Identity index counts Rita
    // in it (until then the backend answers 400: nobody in scope).
    let campaignId = '';
    await expect
      .poll(
        async () => {
          const res = await adaApi.post('/campaigns', {
            name,
            scope: { type: 'groups', groups: [groupRef] },
            dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
            defaultReviewers: [SAM],
          });
          if (res.status() === 201) {
            campaignId = (await res.json()).id;
          }
          return res.status();
        },
        { timeout: 60_000 },
      )
      .toBe(201);

    // Sam revokes it; the follow-up names the change the IdP must make.
    const sam = await signedIn(browser, 'Sam (SRE)');
    await sam.goto(`/identity/reviews/${campaignId}`);
    const row = itemsTable(sam).getByRole('row').nth(1);
    await expect(row).toContainText('rita.review');
    await row.getByRole('textbox').fill('Left the team');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Revocation pending' }).click();
    const steps = sam
      .getByRole('dialog')
      .getByRole('list', { name: 'Revocation steps' });
    await expect(steps).toContainText(`PATCH /Groups/${groupId}`);
    await expect(steps).toContainText(userId);
    await sam.screenshot({
      path: `${SCREENSHOT_DIR}/reviews-revocation-scim.png`,
      fullPage: true,
    });
    await sam.getByRole('button', { name: 'Done' }).click();

    // The IdP makes that change; nobody clicks anything in the portal.
    const removed = await scim('PATCH', `/Groups/${groupId}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }],
    });
    expect(removed.status(), await removed.text()).toBeLessThan(300);

    // Each reload waits for Rita's row: the items load after the campaign,
    // and a count taken before they show is 0 whatever the backend says.
    const itemRow = itemsTable(sam)
      .getByRole('row')
      .filter({ hasText: 'rita.review' });
    await expect(async () => {
      await sam.reload();
      await expect(itemRow).toBeVisible({ timeout: 15_000 });
      await expect(
        itemRow.getByRole('button', { name: 'Revocation effective' }),
      ).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 120_000, intervals: [3_000] });
    await expect(
      itemsTable(sam).getByRole('button', { name: /^Revocation / }),
    ).toHaveCount(1);
    await sam.screenshot({
      path: `${SCREENSHOT_DIR}/reviews-revocation-effective.png`,
      fullPage: true,
    });
  } finally {
    await scim('DELETE', `/Groups/${groupId}`);
    await scim('DELETE', `/Users/${userId}`);
  }
});
