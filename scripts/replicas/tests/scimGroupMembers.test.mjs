// An IdP's member changes for one group, spread by the load balancer over
// both replicas at once: each replica reads the group's members, applies its
// PATCH and writes them back. None may be lost, neither in the SCIM store
// nor in the catalog entity that the replicas emit from it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  catalogEntityOfScimId,
  createGroup,
  createUser,
  eventually,
  expectStatus,
  patchOp,
  replicaA,
  replicaB,
  replicas,
  runTag,
  schedules,
  scim,
  sleep,
} from './harness.mjs';

const MEMBERS = 20;

const sorted = values => [...values].sort();

/** The group's member ids as each replica answers them. */
async function membersOnEachReplica(groupId) {
  return Promise.all(
    replicas.map(async base => {
      const res = expectStatus(
        await scim(base, 'GET', `/Groups/${groupId}`),
        200,
      );
      return sorted((res.body.members ?? []).map(m => m.value));
    }),
  );
}

/**
 * Waits until the catalog's Group entity names exactly `memberRefs`, read
 * through each replica, and checks that it still does a while later: a
 * replica that emitted what it read before another replica's write must not
 * have the last word.
 */
async function expectCatalogMembers(groupId, memberRefs) {
  const expected = sorted(memberRefs);
  for (const base of replicas) {
    await eventually(
      () =>
        catalogEntityOfScimId(base, 'group', groupId).then(e =>
          sorted(e?.spec?.members ?? []),
        ),
      members => JSON.stringify(members) === JSON.stringify(expected),
      {
        what: `the catalog group's members (via ${base})`,
        // Usually a few seconds (the deltas). Seen once in five runs after
        // a replica was killed and restarted: two members missing for 30 s,
        // until a reconciliation (whose lock a killed replica may hold
        // until its timeout and the janitor) emitted the group again.
        timeoutMs:
          (2 * schedules.reconcileSeconds +
            schedules.timeoutSeconds +
            schedules.janitorSeconds +
            15) *
          1000,
      },
    );
  }
  // Deltas are gathered for 200 ms and then processed; give any late one
  // time to land, then look again.
  await sleep(4000);
  for (const base of replicas) {
    const entity = await catalogEntityOfScimId(base, 'group', groupId);
    assert.deepEqual(sorted(entity.spec.members), expected);
  }
}

describe('one group, member PATCHes on both replicas at once', () => {
  test(`${MEMBERS} concurrent adds, half on each replica, lose no member`, async () => {
    const users = await Promise.all(
      Array.from({ length: MEMBERS }, (_, i) =>
        createUser(
          i % 2 ? replicaB : replicaA,
          `race-${runTag}-${i}@example.com`,
        ),
      ),
    );
    const group = await createGroup(replicaA, `race-${runTag}`);

    const responses = await Promise.all(
      users.map((user, i) =>
        scim(i % 2 ? replicaB : replicaA, 'PATCH', `/Groups/${group.id}`, {
          body: patchOp({
            op: 'add',
            path: 'members',
            value: [{ value: user.id }],
          }),
        }),
      ),
    );
    responses.forEach(res => expectStatus(res, 200, 204));

    const expected = sorted(users.map(u => u.id));
    for (const members of await membersOnEachReplica(group.id)) {
      assert.deepEqual(members, expected);
    }
    await expectCatalogMembers(
      group.id,
      users.map(u => `user:default/race-${runTag}-${users.indexOf(u)}`),
    );
  });

  test('concurrent removes and adds on both replicas keep exactly the rest', async () => {
    const users = await Promise.all(
      Array.from({ length: MEMBERS }, (_, i) =>
        createUser(
          i % 2 ? replicaA : replicaB,
          `churn-${runTag}-${i}@example.com`,
        ),
      ),
    );
    const initial = users.slice(0, MEMBERS / 2);
    const group = await createGroup(
      replicaB,
      `churn-${runTag}`,
      initial.map(u => u.id),
    );
    const joining = users.slice(MEMBERS / 2);
    const leaving = initial.slice(0, MEMBERS / 4);

    const responses = await Promise.all([
      ...joining.map((user, i) =>
        scim(i % 2 ? replicaA : replicaB, 'PATCH', `/Groups/${group.id}`, {
          body: patchOp({
            op: 'add',
            path: 'members',
            value: [{ value: user.id }],
          }),
        }),
      ),
      ...leaving.map((user, i) =>
        scim(i % 2 ? replicaB : replicaA, 'PATCH', `/Groups/${group.id}`, {
          body: patchOp({
            op: 'remove',
            path: `members[value eq "${user.id}"]`,
          }),
        }),
      ),
    ]);
    responses.forEach(res => expectStatus(res, 200, 204));

    const remaining = users.filter(u => !leaving.includes(u));
    const expected = sorted(remaining.map(u => u.id));
    for (const members of await membersOnEachReplica(group.id)) {
      assert.deepEqual(members, expected);
    }
    await expectCatalogMembers(
      group.id,
      remaining.map(u => `user:default/churn-${runTag}-${users.indexOf(u)}`),
    );
  });
});
