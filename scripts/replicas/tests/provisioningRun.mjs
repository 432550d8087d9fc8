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
  queryCatalogDatabase,
  schedules,
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
 * By when (ms since the epoch) the catalog has caught up after a fault
 * during a provisioning run that ended at `runEnded`, whichever is later:
 * - A change a replica committed but did not apply to the catalog (it was
 *   killed first) reaches the catalog at the next reconciliation. If the
 *   fault cut a reconciliation short, its lock is held until its timeout and
 *   the scheduler's janitor frees it: two periods, the timeout, the janitor.
 * - An entity whose processing or stitching the fault cut short (PostgreSQL
 *   restarted under it) is tried again after the catalog's processing
 *   interval, at most 1.5 times it, and its stitch timeout.
 * Plus a margin of 15 s.
 */
export function catalogSettleDeadline(runEnded = Date.now()) {
  const reconciliation =
    2 * schedules.reconcileSeconds +
    schedules.timeoutSeconds +
    schedules.janitorSeconds;
  const catalogRetry =
    1.5 * schedules.catalogProcessingSeconds +
    schedules.catalogStitchTimeoutSeconds;
  return runEnded + (Math.max(reconciliation, catalogRetry) + 15) * 1000;
}

/**
 * Of the entities `refs` (`expected(ref, entity)`: whether one is as the IdP
 * was told), those the catalog has left stuck, by its own doing, in a state
 * nothing in it will ever change (read from its database; Backstage's
 * schema):
 * - "never stitched": the processed entity is as expected, but what the API
 *   serves (final_entities) is missing or older, and no stitch is queued.
 *   Processing commits its result, then queues the stitch in a statement of
 *   its own; when that fails (the database went away in between), the
 *   result's hash is saved and every later processing stops there, as
 *   nothing changed (backstage/backstage#34686).
 * - "no search rows": served, but without the search rows that filtered
 *   queries read, and no stitch queued: the stitch wrote the entity, then
 *   failed writing its search rows, and its retry found the entity's hash
 *   unchanged and stopped (backstage/backstage#35734).
 * Answers a Map from ref to that state.
 */
async function catalogStitchGaps(refs, expected) {
  const rows = await queryCatalogDatabase(
    `SELECT rs.entity_ref, rs.processed_entity, fe.final_entity,
       EXISTS (SELECT 1 FROM stitch_queue sq
               WHERE sq.entity_ref = rs.entity_ref) AS queued,
       EXISTS (SELECT 1 FROM search s
               WHERE s.entity_id = rs.entity_id
                 AND s.key = 'metadata.name') AS searchable
     FROM refresh_state rs
     LEFT JOIN final_entities fe ON fe.entity_id = rs.entity_id
     WHERE rs.entity_ref = ANY($1)`,
    [refs],
  );
  const gaps = new Map();
  for (const row of rows) {
    const processed = row.processed_entity && JSON.parse(row.processed_entity);
    const served = row.final_entity && JSON.parse(row.final_entity);
    if (row.queued || !processed || !expected(row.entity_ref, processed)) {
      continue;
    }
    if (!served || !expected(row.entity_ref, served)) {
      gaps.set(row.entity_ref, 'never stitched (backstage/backstage#34686)');
    } else if (!row.searchable) {
      gaps.set(row.entity_ref, 'no search rows (backstage/backstage#35734)');
    }
  }
  return gaps;
}

/**
 * The catalog shows the same users and groups with the same members by
 * `deadline` (ms since the epoch), and one User entity per user. An entity
 * the catalog itself left stuck (catalogStitchGaps: it processed what the
 * SCIM module emitted, then lost the stitch to a fault; Backstage's bugs,
 * which nothing but a later change of the entity mends) is reported, not
 * failed, once seen stuck twice 5 s apart. Answers how long it took and the
 * stuck entities.
 */
export async function assertCatalogConverges(run, deadline) {
  const { users, groups, concurrency } = run;
  const expectedMembers = g =>
    [...run.members[g]].map(i => userEntity(run, i)).sort();
  const refOf = item =>
    (item.user !== undefined
      ? userEntity(run, item.user)
      : `group:default/${groupName(run, item.group)}`
    ).toLowerCase();
  const items = [
    ...range(users).map(i => ({ user: i })),
    ...range(groups).map(g => ({ group: g })),
  ];
  const itemOf = new Map(items.map(item => [refOf(item), item]));
  /** Whether an entity (served or processed) is as the IdP was told. */
  const expected = (ref, entity) => {
    const item = itemOf.get(ref);
    if (item.user !== undefined) {
      return (
        entity?.metadata.annotations?.['scim.identity-governance.io/id'] ===
        run.userIds[item.user]
      );
    }
    return (
      JSON.stringify([...(entity?.spec?.members ?? [])].sort()) ===
      JSON.stringify(expectedMembers(item.group))
    );
  };
  // Entities seen stuck at the last look, and those seen so twice running.
  const stuck = new Map();
  let seenStuck = new Map();
  let lastLook = 0;
  async function lookForStuck(refs) {
    if (Date.now() - lastLook < 5000) {
      return;
    }
    lastLook = Date.now();
    const gaps = await catalogStitchGaps(refs, expected);
    for (const [ref, state] of gaps) {
      if (seenStuck.get(ref) === state) {
        stuck.set(ref, state);
      }
    }
    seenStuck = gaps;
  }

  let missing = items;
  const started = Date.now();
  for (;;) {
    const still = [];
    await pool(missing, concurrency, async item => {
      const entity = await catalogEntity(proxyUrl, refOf(item));
      if (!expected(refOf(item), entity)) {
        still.push(
          item.group === undefined
            ? item
            : { ...item, got: [...(entity?.spec?.members ?? [])].sort() },
        );
      }
    });
    if (still.length) {
      await lookForStuck(still.map(refOf));
    }
    missing = still.filter(item => !stuck.has(refOf(item)));
    if (!missing.length || Date.now() > deadline) {
      break;
    }
    await sleep(1000);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `catalog: ${missing.length} of ${
      users + groups
    } entities missing or different after ${seconds}s, ${
      stuck.size
    } left stuck by the catalog`,
  );
  assert.deepEqual(
    missing.slice(0, 5),
    [],
    `${missing.length} users or groups missing or different in the catalog`,
  );
  // Nothing extra: one User entity per user (a retried POST made none).
  // Counted through the catalog's search table, which stitching fills a
  // moment after the entity itself (seen: 299 of 300 at first); users the
  // catalog left unstitched or without search rows are not counted.
  const userRefs = range(users).map(i => refOf({ user: i }));
  const stuckUsers = () => userRefs.filter(ref => stuck.has(ref)).length;
  await eventually(
    async () => {
      const count = await catalogCount(
        proxyUrl,
        `filter=kind=user&fullTextFilterTerm=${run.prefix}-u&fullTextFilterFields=metadata.name`,
      );
      if (count + stuckUsers() < users) {
        await lookForStuck(userRefs);
      }
      return { count, stuck: stuckUsers() };
    },
    ({ count }) => count + stuckUsers() === users,
    { what: `${users} User entities in the catalog`, timeoutMs: 60_000 },
  );
  return { seconds, stuck: Object.fromEntries(stuck) };
}
