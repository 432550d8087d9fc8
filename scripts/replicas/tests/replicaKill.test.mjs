// A replica killed with SIGKILL, from outside: the load balancer stops
// sending it requests (a refused connection is tried on the next replica,
// whatever the method, since no replica saw it), the other replica serves
// everything, and the replica started again on the same databases serves
// what was written meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createUser,
  eventually,
  expectStatus,
  killReplica,
  proxyUrl,
  replicaA,
  replicaB,
  replicas,
  runTag,
  scim,
  startReplica,
} from './harness.mjs';

test('one replica killed: the other serves, the restarted one catches up', async () => {
  await killReplica(replicaB);
  try {
    await assert.rejects(
      fetch(`${replicaB}/.backstage/health/v1/readiness`),
      'the killed replica still answers',
    );

    const servedBy = new Set();
    for (let i = 0; i < 4; i++) {
      const res = expectStatus(
        await scim(proxyUrl, 'GET', '/Users?count=1'),
        200,
      );
      servedBy.add(res.servedBy);
    }
    assert.deepEqual([...servedBy], [new URL(replicaA).host]);
    // A write while one replica is down: the proxy's refused connection to
    // the dead replica is not the client's failure.
    const created = await createUser(
      proxyUrl,
      `while-down-${runTag}@example.com`,
    );
    expectStatus(await scim(replicaA, 'GET', `/Users/${created.id}`), 200);
  } finally {
    await startReplica(replicaB);
  }

  const health = await fetch(`${replicaB}/.backstage/health/v1/readiness`);
  assert.equal(health.status, 200);
  const found = expectStatus(
    await scim(
      replicaB,
      'GET',
      `/Users?filter=${encodeURIComponent(
        `userName eq "while-down-${runTag}@example.com"`,
      )}`,
    ),
    200,
  );
  assert.equal(found.body.totalResults, 1);
  // The load balancer sends it requests again once its skip has passed.
  await eventually(
    async () => (await scim(proxyUrl, 'GET', '/Users?count=1')).servedBy,
    host => host === new URL(replicaB).host,
    { what: 'the proxy sending requests to the restarted replica' },
  );
  assert.equal(replicas.length, 2);
});
