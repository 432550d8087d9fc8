// ETags are versions kept in the shared database, so a replica that never
// served a resource still refuses a write based on an old read of it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SCIM_ERROR,
  createGroup,
  createUser,
  expectStatus,
  patchOp,
  replicaA,
  replicaB,
  runTag,
  scim,
} from './harness.mjs';

function expectPreconditionFailed(res) {
  expectStatus(res, 412);
  assert.deepEqual(res.body.schemas, [SCIM_ERROR]);
  assert.equal(res.body.status, '412');
  assert.doesNotMatch(res.text, /\bat .+\(.+:\d+:\d+\)/, 'no stack trace');
}

const rename = title =>
  patchOp({ op: 'replace', path: 'displayName', value: title });

describe('If-Match across replicas', () => {
  test('a stale user ETag gets 412 whichever replica answers', async () => {
    const created = await createUser(replicaA, `etag-${runTag}@example.com`);
    const stale = `W/"${created.meta.version.replace(/^W\/"|"$/g, '')}"`;

    const updated = expectStatus(
      await scim(replicaB, 'PATCH', `/Users/${created.id}`, {
        body: rename('Fresh'),
        ifMatch: stale,
      }),
      200,
    );
    assert.notEqual(updated.etag, stale);

    for (const base of [replicaA, replicaB]) {
      expectPreconditionFailed(
        await scim(base, 'PATCH', `/Users/${created.id}`, {
          body: rename(`Stale via ${base}`),
          ifMatch: stale,
        }),
      );
      expectPreconditionFailed(
        await scim(base, 'PUT', `/Users/${created.id}`, {
          body: {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
            userName: `etag-${runTag}@example.com`,
            displayName: 'Stale replace',
          },
          ifMatch: stale,
        }),
      );
      expectPreconditionFailed(
        await scim(base, 'DELETE', `/Users/${created.id}`, { ifMatch: stale }),
      );
    }

    for (const base of [replicaA, replicaB]) {
      const now = expectStatus(
        await scim(base, 'GET', `/Users/${created.id}`),
        200,
      );
      assert.equal(now.body.displayName, 'Fresh');
      assert.equal(now.etag, updated.etag);
    }
    expectStatus(
      await scim(replicaA, 'DELETE', `/Users/${created.id}`, {
        ifMatch: updated.etag,
      }),
      204,
    );
  });

  test('a stale group ETag gets 412 whichever replica answers', async () => {
    const group = await createGroup(replicaB, `etag-group-${runTag}`);
    const stale = group.meta.version;
    const updated = expectStatus(
      await scim(replicaA, 'PATCH', `/Groups/${group.id}`, {
        body: rename(`etag-group-${runTag}-renamed`),
        ifMatch: stale,
      }),
      200,
      204,
    );
    assert.ok(updated.etag, 'a group PATCH answers its new ETag');
    assert.notEqual(updated.etag, stale);
    for (const base of [replicaA, replicaB]) {
      expectPreconditionFailed(
        await scim(base, 'PATCH', `/Groups/${group.id}`, {
          body: rename(`etag-group-${runTag}-stale`),
          ifMatch: stale,
        }),
      );
    }
    const now = expectStatus(
      await scim(replicaB, 'GET', `/Groups/${group.id}`),
      200,
    );
    assert.equal(now.body.displayName, `etag-group-${runTag}-renamed`);
    assert.equal(now.etag, updated.etag);
  });

  test('of writes racing with the same ETag on both replicas, exactly one wins', async () => {
    const created = await createUser(
      replicaA,
      `etag-race-${runTag}@example.com`,
    );
    const writers = 10;
    const responses = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        scim(i % 2 ? replicaB : replicaA, 'PATCH', `/Users/${created.id}`, {
          body: rename(`Writer ${i}`),
          ifMatch: created.meta.version,
        }),
      ),
    );
    const won = responses.filter(r => r.status === 200);
    const refused = responses.filter(r => r.status === 412);
    assert.equal(won.length, 1, responses.map(r => r.status).join(' '));
    assert.equal(refused.length, writers - 1);
    refused.forEach(expectPreconditionFailed);
    const now = expectStatus(
      await scim(replicaB, 'GET', `/Users/${created.id}`),
      200,
    );
    assert.equal(now.body.displayName, won[0].body.displayName);
  });
});
