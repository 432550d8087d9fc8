// The proxy stands for the load balancer: it must spread requests over both
// replicas, or the other tests would prove nothing about replicas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyUrl, replicas, scim, expectStatus } from './harness.mjs';

test('the proxy sends requests to every replica in turn', async () => {
  const servedBy = [];
  for (let i = 0; i < replicas.length * 2; i++) {
    const res = expectStatus(
      await scim(proxyUrl, 'GET', '/Users?count=1'),
      200,
    );
    servedBy.push(res.servedBy);
  }
  const expected = replicas.map(url => new URL(url).host).sort();
  assert.deepEqual([...new Set(servedBy)].sort(), expected);
});

test('each replica is ready and answers SCIM on its own', async () => {
  for (const base of replicas) {
    const health = await fetch(`${base}/.backstage/health/v1/readiness`);
    assert.equal(health.status, 200);
    expectStatus(await scim(base, 'GET', '/ServiceProviderConfig'), 200);
  }
});
