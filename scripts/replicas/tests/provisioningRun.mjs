// A SCIM provisioning run through the proxy, as an IdP's first sync makes it
// (groups, then users, each added to two groups), and the checks that follow
// a fault during it: every user, group and membership the IdP was told
// succeeded is in the SCIM store and in the catalog, and nothing more. The
// fault tests (a replica killed, PostgreSQL restarted) share it.
import assert from 'node:assert/strict';
import {
  catalogCount,
  catalogEntity,
  eventually,
  expectStatus,
  proxyUrl,
  sleep,
} from './harness.mjs';

export async function pool(items, concurrency, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await fn(item);
      }
    }),
  );
}

const range = n => Array.from({ length: n }, (_, i) => i);

/**
 * Provisions `users` users and `groups` groups named after `prefix` with the
 * IdP client `idp`; `onUserDone(done)` runs after each user, to inject a
 * fault part-way. Answers what the IdP was told succeeded.
 */
export async function provision({
  idp,
  prefix,
  users,
  groups,
  concurrency,
  onUserDone = () => {},
}) {
  const run = {
    prefix,
    users,
    groups,
    concurrency,
    userIds: new Array(users),
    groupIds: new Array(groups),
    /** groupIndex -> user indexes the IdP was told were added. */
    members: range(groups).map(() => new Set()),
  };
  // Each user is in two groups (one when there is one group).
  const groupsOf = i => [...new Set([i % groups, (i * 7 + 3) % groups])];
  await pool(range(groups), concurrency, async g => {
    run.groupIds[g] = (await idp.createGroup(groupName(run, g))).id;
  });
  let done = 0;
  await pool(range(users), concurrency, async i => {
    run.userIds[i] = (await idp.createUser(userName(run, i))).id;
    for (const g of groupsOf(i)) {
      await idp.addMembers(run.groupIds[g], [run.userIds[i]]);
      run.members[g].add(i);
    }
    done++;
    await onUserDone(done);
  });
  return run;
}

const pad = (n, width) => String(n).padStart(width, '0');
export const userName = (run, i) => `${run.prefix}-u${pad(i, 5)}@example.com`;
const userEntity = (run, i) => `user:default/${run.prefix}-u${pad(i, 5)}`;
export const groupName = (run, g) => `${run.prefix}-g${pad(g, 4)}`;

export function membershipCount(run) {
  return run.members.reduce((n, s) => n + s.size, 0);
}

/** The SCIM store holds every user and group the IdP was told about, once. */
export async function assertStoreHoldsRun(idp, run) {
  const { prefix, users, groups, concurrency } = run;
  await pool(range(users), concurrency, async i => {
    const res = expectStatus(
      await idp.request('GET', `/Users/${run.userIds[i]}`),
      200,
    );
    assert.equal(res.body.userName, userName(run, i));
  });
  const usersListed = expectStatus(
    await idp.request(
      'GET',
      `/Users?count=1&filter=${encodeURIComponent(`userName sw "${prefix}-"`)}`,
    ),
    200,
  );
  assert.equal(usersListed.body.totalResults, users, 'users in the store');
  const groupsListed = expectStatus(
    await idp.request(
      'GET',
      `/Groups?count=1&excludedAttributes=members&filter=${encodeURIComponent(
        `displayName sw "${prefix}-"`,
      )}`,
    ),
    200,
  );
  assert.equal(groupsListed.body.totalResults, groups, 'groups in the store');
  // Each group's members: exactly those the IdP was told were added.
  await pool(range(groups), concurrency, async g => {
    const res = expectStatus(
      await idp.request('GET', `/Groups/${run.groupIds[g]}`),
      200,
    );
    assert.deepEqual(
      (res.body.members ?? []).map(m => m.value).sort(),
      [...run.members[g]].map(i => run.userIds[i]).sort(),
      `members of ${groupName(run, g)} in the store`,
    );
  });
}

/**
 * The catalog shows the same users and groups with the same members by
 * `deadline` (ms since the epoch), and one User entity per user. Answers
 * how long it took.
 */
export async function assertCatalogConverges(run, deadline) {
  const { users, groups, concurrency } = run;
  const expectedMembers = g =>
    [...run.members[g]].map(i => userEntity(run, i)).sort();
  let missing = [
    ...range(users).map(i => ({ user: i })),
    ...range(groups).map(g => ({ group: g })),
  ];
  const started = Date.now();
  for (;;) {
    const still = [];
    await pool(missing, concurrency, async item => {
      if (item.user !== undefined) {
        const entity = await catalogEntity(
          proxyUrl,
          userEntity(run, item.user),
        );
        if (
          entity?.metadata.annotations?.['scim.identity-governance.io/id'] !==
          run.userIds[item.user]
        ) {
          still.push(item);
        }
      } else {
        const entity = await catalogEntity(
          proxyUrl,
          `group:default/${groupName(run, item.group)}`,
        );
        const got = [...(entity?.spec?.members ?? [])].sort();
        if (
          !entity ||
          JSON.stringify(got) !== JSON.stringify(expectedMembers(item.group))
        ) {
          still.push({ ...item, got });
        }
      }
    });
    missing = still;
    if (!missing.length || Date.now() > deadline) {
      break;
    }
    await sleep(1000);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `catalog: ${missing.length} of ${
      users + groups
    } entities missing or different after ${seconds}s`,
  );
  assert.deepEqual(
    missing.slice(0, 5),
    [],
    `${missing.length} users or groups missing or different in the catalog`,
  );
  // Nothing extra: one User entity per user (a retried POST made none).
  // Counted through the catalog's search table, which stitching fills a
  // moment after the entity itself (seen: 299 of 300 at first).
  await eventually(
    () =>
      catalogCount(
        proxyUrl,
        `filter=kind=user&fullTextFilterTerm=${run.prefix}-u&fullTextFilterFields=metadata.name`,
      ),
    count => count === users,
    { what: `${users} User entities in the catalog`, timeoutMs: 60_000 },
  );
  return seconds;
}
