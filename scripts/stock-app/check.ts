/*
 * What scripts/stock-app.sh checks in the running stock app, once our
 * packages are installed as their READMEs say:
 *
 *   1. the guest (not an admin) signs in, and deleting a catalog entity
 *      (DELETE /api/catalog/entities/by-uid/<uid>) answers 403;
 *   2. the SCIM endpoint answers GET /v2/ServiceProviderConfig to the IdP's
 *      bearer token (and 401 without it);
 *   3. the IdP provisions the guest's user and the README's admin group with
 *      the guest in it, and the policy lets the same guest read the Identity
 *      API within seconds;
 *   4. in Chromium, the guest, now an admin, signs in and the Identity page
 *      shows the users, the SCIM-provisioned one among them.
 *
 * Environment: STOCK_BACKEND_URL, STOCK_APP_URL, STOCK_SCIM_TOKEN,
 * STOCK_TEST_USER (the guest's entity ref), STOCK_ADMIN_GROUP (a group ref
 * the app-config makes admin), STOCK_SCREENSHOTS (a folder).
 * Prints one line per check; exits 1 when one fails.
 */
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ARGS, chromiumPath } from '../debianChromium';

function env(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

const backend = env('STOCK_BACKEND_URL');
const app = env('STOCK_APP_URL');
const scimToken = env('STOCK_SCIM_TOKEN');
const testUser = env('STOCK_TEST_USER');
const adminGroup = env('STOCK_ADMIN_GROUP');
const screenshots = env('STOCK_SCREENSHOTS');

const nameOf = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function call(
  method: string,
  url: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${backend}${url}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/scim+json' } : {}),
      // proxy sign-in providers answer only to the frontend's fetches
      'x-requested-with': 'XMLHttpRequest',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

function expectStatus(
  what: string,
  res: { status: number; json: any },
  status: number,
) {
  if (res.status !== status) {
    throw new Error(
      `${what}: expected ${status}, got ${res.status} ${JSON.stringify(
        res.json,
      )?.slice(0, 300)}`,
    );
  }
}

async function guestToken(): Promise<string> {
  const res = await call('GET', '/api/auth/guest/refresh');
  expectStatus('guest sign-in', res, 200);
  const identity = res.json.backstageIdentity;
  if (identity?.identity?.userEntityRef !== testUser) {
    throw new Error(
      `the guest signed in as ${identity?.identity?.userEntityRef}, not ${testUser}`,
    );
  }
  return identity.token;
}

async function guestMayNotDelete(token: string): Promise<string> {
  const query = await call(
    'GET',
    '/api/catalog/entities/by-query?filter=kind=component&limit=1',
    token,
  );
  expectStatus('catalog query', query, 200);
  const entity = query.json.items?.[0];
  if (!entity) {
    throw new Error('the stock catalog has no component to try deleting');
  }
  const uid = entity.metadata.uid;
  const del = await call(
    'DELETE',
    `/api/catalog/entities/by-uid/${uid}`,
    token,
  );
  expectStatus(`DELETE /api/catalog/entities/by-uid/${uid} as guest`, del, 403);
  expectStatus(
    'the entity after the refused delete',
    await call('GET', `/api/catalog/entities/by-uid/${uid}`, token),
    200,
  );
  return `component ${entity.metadata.name}: 403, still there`;
}

async function scimAnswers(): Promise<string> {
  const url = '/api/scim/v2/ServiceProviderConfig';
  const res = await call('GET', url, scimToken);
  expectStatus(`GET ${url} with the IdP token`, res, 200);
  const schema = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
  if (!res.json?.schemas?.includes(schema)) {
    throw new Error(`${url} answered without the ${schema} schema`);
  }
  expectStatus(`GET ${url} without a token`, await call('GET', url), 401);
  return `200 (401 without the token)`;
}

async function scimMakesGuestAdmin(token: string): Promise<string> {
  const user = await call('POST', '/api/scim/v2/Users', scimToken, {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `${nameOf(testUser)}@example.com`,
    name: { givenName: 'Stock', familyName: 'Tester' },
  });
  expectStatus('SCIM POST /Users', user, 201);
  const group = await call('POST', '/api/scim/v2/Groups', scimToken, {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: nameOf(adminGroup),
    members: [{ value: user.json.id }],
  });
  expectStatus('SCIM POST /Groups', group, 201);

  const started = Date.now();
  for (;;) {
    const res = await call('GET', '/api/identity/users?limit=1', token);
    if (res.status === 200) {
      return `identity.read granted ${((Date.now() - started) / 1000).toFixed(
        1,
      )} s after provisioning`;
    }
    if (res.status !== 403 || Date.now() - started > 120_000) {
      expectStatus('GET /api/identity/users as the promoted guest', res, 200);
    }
    await sleep(1000);
  }
}

async function identityPageRenders(): Promise<string> {
  fs.mkdirSync(screenshots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ baseURL: app });
    page.setDefaultTimeout(60_000);
    try {
      await page.goto('/');
      await page.getByRole('button', { name: 'Enter' }).click();
      const nav = page.getByRole('navigation', { name: 'sidebar nav' });
      await nav.getByRole('link', { name: 'Identity' }).click();
      await page.waitForURL(/\/identity\/users/);
      const users = page.getByRole('table', { name: 'Users' });
      await users.waitFor();
      // The index catches up with the catalog every few seconds.
      await users
        .getByRole('link', { name: nameOf(testUser), exact: true })
        .waitFor();
      await page.screenshot({
        path: path.join(screenshots, 'identity-users.png'),
        fullPage: true,
      });
      return `users table with ${nameOf(testUser)}, ${path.join(
        screenshots,
        'identity-users.png',
      )}`;
    } catch (error) {
      await page
        .screenshot({ path: path.join(screenshots, 'failure.png') })
        .catch(() => {});
      throw error;
    }
  } finally {
    await browser.close();
  }
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    const result = await run();
    const detail = typeof result === 'string' ? `: ${result}` : '';
    console.log(
      `  ok   ${name} (${((Date.now() - started) / 1000).toFixed(
        1,
      )} s)${detail}`,
    );
    return result;
  } catch (error) {
    console.log(`  FAIL ${name}: ${(error as Error).message}`);
    throw error;
  }
}

async function main() {
  let token = '';
  await step('the guest signs in', async () => {
    token = await guestToken();
    return `as ${testUser}`;
  });
  await step('the guest may not delete an entity', () =>
    guestMayNotDelete(token),
  );
  await step('SCIM ServiceProviderConfig', scimAnswers);
  await step(`the IdP puts the guest in ${adminGroup}`, () =>
    scimMakesGuestAdmin(token),
  );
  await step('the Identity page renders for the admin', identityPageRenders);
}

main().catch(() => process.exit(1));
