// kill -9 of one replica during a SCIM provisioning run. The IdP client
// (idpClient.mjs) retries as Entra ID and Okta do; the proxy answers 502 for
// a POST or PATCH whose replica died before answering (it cannot know
// whether the write happened) and sends everything else to the live
// replica. Afterwards every user, group and membership the client was told
// succeeded is in the SCIM store and in the catalog, and nothing more: no
// duplicate for a retried POST, no member nobody was told about.
//
// Size: REPLICAS_PROVISION_USERS (default 300) and REPLICAS_PROVISION_GROUPS
// (default 30); the issue's run is 2000 and 200:
//   REPLICAS_PROVISION_USERS=2000 REPLICAS_PROVISION_GROUPS=200 \
//     node --test scripts/replicas/tests/scimProvisioningKill.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  catalogCount,
  catalogEntity,
  eventually,
  expectStatus,
  killReplica,
  proxyUrl,
  replicaB,
  runTag,
  schedules,
  scim,
  sleep,
  startReplica,
} from './harness.mjs';
import { createIdpClient } from './idpClient.mjs';

const USERS = Number(process.env.REPLICAS_PROVISION_USERS ?? 300);
const GROUPS = Number(process.env.REPLICAS_PROVISION_GROUPS ?? 30);
const CONCURRENCY = Number(process.env.REPLICAS_PROVISION_CONCURRENCY ?? 8);
/** The share of users provisioned when the replica is killed. */
const KILL_AT = 0.4;

const prefix = `prov-${runTag}`;
const userName = i => `${prefix}-u${String(i).padStart(5, '0')}@example.com`;
const userEntity = i => `user:default/${prefix}-u${String(i).padStart(5, '0')}`;
const groupName = g => `${prefix}-g${String(g).padStart(4, '0')}`;
/** Each user is in two groups (one when there is one group). */
const groupsOf = i => [...new Set([i % GROUPS, (i * 7 + 3) % GROUPS])];

async function pool(items, concurrency, fn) {
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

test(`kill -9 of a replica while provisioning ${USERS} users and ${GROUPS} groups loses nothing and half-writes nothing`, async () => {
  const idp = createIdpClient(proxyUrl);
  const started = Date.now();
  const groupIds = new Array(GROUPS);
  const userIds = new Array(USERS);
  /** groupIndex -> user indexes the IdP was told were added. */
  const members = range(GROUPS).map(() => new Set());

  let killed;
  let usersDone = 0;
  try {
    await pool(range(GROUPS), CONCURRENCY, async g => {
      groupIds[g] = (await idp.createGroup(groupName(g))).id;
    });
    await pool(range(USERS), CONCURRENCY, async i => {
      userIds[i] = (await idp.createUser(userName(i))).id;
      for (const g of groupsOf(i)) {
        await idp.addMembers(groupIds[g], [userIds[i]]);
        members[g].add(i);
      }
      usersDone++;
      if (!killed && usersDone >= USERS * KILL_AT) {
        killed = { at: Date.now(), done: killReplica(replicaB) };
      }
    });
    await killed?.done;
    const memberships = members.reduce((n, s) => n + s.size, 0);
    console.log(
      `provisioned ${USERS} users, ${GROUPS} groups, ${memberships} memberships in ${
        (Date.now() - started) / 1000
      }s; replica ${new URL(replicaB).host} killed ${
        (killed.at - started) / 1000
      }s in; client: ${JSON.stringify(idp.stats)}`,
    );
    assert.ok(killed, 'the replica was never killed');

    // The SCIM store: every user and group the IdP was told about, once.
    await pool(range(USERS), CONCURRENCY, async i => {
      const res = expectStatus(
        await idp.request('GET', `/Users/${userIds[i]}`),
        200,
      );
      assert.equal(res.body.userName, userName(i));
    });
    const usersListed = expectStatus(
      await idp.request(
        'GET',
        `/Users?count=1&filter=${encodeURIComponent(
          `userName sw "${prefix}-"`,
        )}`,
      ),
      200,
    );
    assert.equal(usersListed.body.totalResults, USERS, 'users in the store');
    const groupsListed = expectStatus(
      await idp.request(
        'GET',
        `/Groups?count=1&excludedAttributes=members&filter=${encodeURIComponent(
          `displayName sw "${prefix}-"`,
        )}`,
      ),
      200,
    );
    assert.equal(groupsListed.body.totalResults, GROUPS, 'groups in the store');
    // Each group's members: exactly those the IdP was told were added.
    await pool(range(GROUPS), CONCURRENCY, async g => {
      const res = expectStatus(
        await idp.request('GET', `/Groups/${groupIds[g]}`),
        200,
      );
      assert.deepEqual(
        (res.body.members ?? []).map(m => m.value).sort(),
        [...members[g]].map(i => userIds[i]).sort(),
        `members of ${groupName(g)} in the store`,
      );
    });

    // The catalog: the same users and groups with the same members. The
    // killed replica's SCIM changes reach the catalog as delta mutations it
    // applies itself, a moment after each commit; those it had committed but
    // not yet applied reach the catalog at the next reconciliation. If the
    // killed replica held the reconciliation's lock, that run waits for the
    // lock's timeout and the scheduler's janitor: so this waits for two
    // periods, the timeout, the janitor and a margin.
    const deadline =
      Date.now() +
      (2 * schedules.reconcileSeconds +
        schedules.timeoutSeconds +
        schedules.janitorSeconds +
        15) *
        1000;
    const expectedMembers = g => [...members[g]].map(userEntity).sort();
    let missing = [
      ...range(USERS).map(i => ({ user: i })),
      ...range(GROUPS).map(g => ({ group: g })),
    ];
    const converged = Date.now();
    for (;;) {
      const still = [];
      await pool(missing, CONCURRENCY, async item => {
        if (item.user !== undefined) {
          const entity = await catalogEntity(proxyUrl, userEntity(item.user));
          if (
            entity?.metadata.annotations?.['scim.identity-governance.io/id'] !==
            userIds[item.user]
          ) {
            still.push(item);
          }
        } else {
          const entity = await catalogEntity(
            proxyUrl,
            `group:default/${groupName(item.group)}`,
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
    console.log(
      `catalog: ${missing.length} of ${
        USERS + GROUPS
      } entities missing or different after ${
        (Date.now() - converged) / 1000
      }s`,
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
          `filter=kind=user&fullTextFilterTerm=${prefix}-u&fullTextFilterFields=metadata.name`,
        ),
      count => count === USERS,
      { what: `${USERS} User entities in the catalog`, timeoutMs: 60_000 },
    );
  } finally {
    if (killed) {
      await killed.done.catch(() => {});
      await startReplica(replicaB);
    }
  }
  expectStatus(await scim(replicaB, 'GET', `/Users/${userIds[0]}`), 200);
});
