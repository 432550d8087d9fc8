// What one replica writes, the other serves at once: the store is the shared
// database, and no replica answers from a memory of its own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  catalogEntity,
  createUser,
  eventually,
  expectStatus,
  patchOp,
  replicaA,
  replicaB,
  runTag,
  scim,
} from './harness.mjs';

for (const [writer, other, label] of [
  [replicaA, replicaB, 'A then B'],
  [replicaB, replicaA, 'B then A'],
]) {
  describe(`a user created on one replica, used through the other (${label})`, () => {
    test('is readable, patchable and deletable there at once', async () => {
      const userName = `lifecycle-${runTag}-${label[0].toLowerCase()}@example.com`;
      const created = await createUser(writer, userName, {
        name: { givenName: 'Ada', familyName: 'Lovelace' },
      });

      const read = expectStatus(
        await scim(other, 'GET', `/Users/${created.id}`),
        200,
      );
      assert.equal(read.body.userName, userName);
      assert.equal(read.etag, created.meta.version);
      const found = expectStatus(
        await scim(
          other,
          'GET',
          `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
        ),
        200,
      );
      assert.deepEqual(
        found.body.Resources.map(r => r.id),
        [created.id],
      );

      const patched = expectStatus(
        await scim(other, 'PATCH', `/Users/${created.id}`, {
          body: patchOp({ op: 'replace', path: 'active', value: false }),
        }),
        200,
      );
      assert.equal(patched.body.active, false);
      const seenByWriter = expectStatus(
        await scim(writer, 'GET', `/Users/${created.id}`),
        200,
      );
      assert.equal(seenByWriter.body.active, false);
      assert.equal(seenByWriter.etag, patched.etag);

      expectStatus(await scim(other, 'DELETE', `/Users/${created.id}`), 204);
      for (const base of [writer, other]) {
        expectStatus(await scim(base, 'GET', `/Users/${created.id}`), 404);
      }
      // Deleted twice, through the replica that created it: gone there too.
      expectStatus(await scim(writer, 'DELETE', `/Users/${created.id}`), 404);
    });

    test('reaches the catalog and leaves it, whichever replica wrote', async () => {
      const name = `catalog-${runTag}-${label[0].toLowerCase()}`;
      const created = await createUser(writer, `${name}@example.com`);
      const ref = `user:default/${name}`;
      await eventually(
        () => catalogEntity(other, ref),
        entity => entity !== undefined,
        { what: `${ref} in the catalog` },
      );
      expectStatus(await scim(other, 'DELETE', `/Users/${created.id}`), 204);
      await eventually(
        () => catalogEntity(writer, ref),
        entity => entity === undefined,
        { what: `${ref} gone from the catalog` },
      );
    });
  });
}
