// kill -9 of one replica during a SCIM provisioning run. The IdP client
// (idpClient.mjs) retries as Entra ID and Okta do; the proxy answers 502 for
// a POST or PATCH whose replica died before answering (it cannot know
// whether the write happened) and sends everything else to the live
// replica. Afterwards every user, group and membership the client was told
// succeeded is in the SCIM store and in the catalog, and nothing more: no
// duplicate for a retried POST, no member nobody was told about.
//
// Size: REPLICAS_PROVISION_USERS (default 300) and REPLICAS_PROVISION_GROUPS
// (default 30); the run is 2000 and 200:
//   REPLICAS_PROVISION_USERS=2000 REPLICAS_PROVISION_GROUPS=200 \
//     node --test scripts/replicas/tests/scimProvisioningKill.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  expectStatus,
  killReplica,
  proxyUrl,
  replicaB,
  runTag,
  scim,
  startReplica,
} from './harness.mjs';
import { createIdpClient } from './idpClient.mjs';
import {
  assertCatalogConverges,
  assertStoreHoldsRun,
  catalogSettleDeadline,
  membershipCount,
  provision,
} from './provisioningRun.mjs';

const USERS = Number(process.env.REPLICAS_PROVISION_USERS ?? 300);
const GROUPS = Number(process.env.REPLICAS_PROVISION_GROUPS ?? 30);
const CONCURRENCY = Number(process.env.REPLICAS_PROVISION_CONCURRENCY ?? 8);
/** The share of users provisioned when the replica is killed. */
const KILL_AT = 0.4;

test(`kill -9 of a replica while provisioning ${USERS} users and ${GROUPS} groups loses nothing and half-writes nothing`, async () => {
  const idp = createIdpClient(proxyUrl);
  const started = Date.now();
  let killed;
  let run;
  try {
    run = await provision({
      idp,
      prefix: `prov-${runTag}`,
      users: USERS,
      groups: GROUPS,
      concurrency: CONCURRENCY,
      onUserDone: done => {
        if (!killed && done >= USERS * KILL_AT) {
          killed = { at: Date.now(), done: killReplica(replicaB) };
        }
      },
    });
    await killed?.done;
    console.log(
      `provisioned ${USERS} users, ${GROUPS} groups, ${membershipCount(
        run,
      )} memberships in ${(Date.now() - started) / 1000}s; replica ${
        new URL(replicaB).host
      } killed ${(killed.at - started) / 1000}s in; client: ${JSON.stringify(
        idp.stats,
      )}`,
    );
    assert.ok(killed, 'the replica was never killed');

    await assertStoreHoldsRun(idp, run);
    // The killed replica's SCIM changes reach the catalog as delta mutations
    // it applies itself, a moment after each commit; those it had committed
    // but not yet applied reach the catalog at the next reconciliation, which
    // may wait for the lock the killed replica held (catalogSettleDeadline).
    await assertCatalogConverges(run, catalogSettleDeadline());
  } finally {
    if (killed) {
      await killed.done.catch(() => {});
      await startReplica(replicaB);
    }
  }
  expectStatus(await scim(replicaB, 'GET', `/Users/${run.userIds[0]}`), 200);
});
