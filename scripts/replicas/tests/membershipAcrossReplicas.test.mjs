// A membership the IdP removes stops granting on every replica within the
// policy's stated window (identityPolicy.membership.cacheTtlSeconds after the
// catalog shows the removal), and stays stopped; the Identity page answers
// the same on both replicas before and after. The users sign in with the
// demo sign-in that the test-only config allows for them (replicas.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authorize,
  catalogEntity,
  eventually,
  expectStatus,
  patchOp,
  proxyUrl,
  replicaA,
  replicaB,
  replicas,
  scim,
  signIn,
  sleep,
} from './harness.mjs';

const ADMIN = 'replica-test-admin';
const MEMBER = 'replica-test-member';
const ADMIN_GROUP = 'group:default/platform-admins';
/** identityPolicy.membership.cacheTtlSeconds in app-config.yaml. */
const CACHE_TTL_MS = 5_000;
/**
 * The polls' own granularity: each replica is asked every POLL_MS, and a
 * request may itself take a moment on a busy machine.
 */
const POLL_MS = 200;
const MEASURE_SLACK_MS = 3_000;
const IDENTITY_READ = {
  type: 'basic',
  name: 'identity.read',
  attributes: { action: 'read' },
};

const userRef = name => `user:default/${name}`;

/** The SCIM id of the user with this userName, creating it if need be. */
async function ensureUser(name) {
  const userName = `${name}@replicas.example`;
  const found = expectStatus(
    await scim(
      proxyUrl,
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
    ),
    200,
  );
  if (found.body.Resources.length) {
    return found.body.Resources[0].id;
  }
  const res = await scim(proxyUrl, 'POST', '/Users', {
    body: {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      active: true,
    },
  });
  return expectStatus(res, 201).body.id;
}

/** The SCIM group `platform-admins` with exactly these members. */
async function ensureAdminGroup(memberIds) {
  const found = expectStatus(
    await scim(
      proxyUrl,
      'GET',
      `/Groups?filter=${encodeURIComponent(
        'displayName eq "platform-admins"',
      )}`,
    ),
    200,
  );
  const members = memberIds.map(value => ({ value }));
  if (found.body.Resources.length) {
    const id = found.body.Resources[0].id;
    expectStatus(
      await scim(proxyUrl, 'PATCH', `/Groups/${id}`, {
        body: patchOp({ op: 'replace', path: 'members', value: members }),
      }),
      200,
      204,
    );
    return id;
  }
  const res = await scim(proxyUrl, 'POST', '/Groups', {
    body: {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'platform-admins',
      members,
    },
  });
  return expectStatus(res, 201).body.id;
}

/** The group's members as the catalog of one replica shows them. */
async function catalogMembers(base) {
  const group = await catalogEntity(base, ADMIN_GROUP);
  return (group?.relations ?? [])
    .filter(r => r.type === 'hasMember')
    .map(r => r.targetRef)
    .sort();
}

/** A user's detail from one replica's Identity API, as the page reads it. */
async function identityDetail(base, token, name) {
  const res = await fetch(`${base}/api/identity/users/default/${name}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  if (res.status === 404) {
    return undefined;
  }
  assert.equal(res.status, 200, text);
  return JSON.parse(text);
}

/**
 * The member's detail on both replicas once it holds (or no longer holds)
 * the admin group, and that both replicas answer the same: the index is the
 * shared database's, so only a refresh committing between the two reads may
 * part them, and a second read agrees.
 */
async function sameDetailOnBoth(token, admin) {
  const grants = detail =>
    detail?.memberships.some(m => m.groupRef === ADMIN_GROUP) === admin;
  for (const base of replicas) {
    await eventually(() => identityDetail(base, token, MEMBER), grants, {
      timeoutMs: 60_000,
      what: `the Identity page of ${base} showing ${MEMBER} ${
        admin ? 'in' : 'out of'
      } ${ADMIN_GROUP}`,
    });
  }
  let a;
  let b;
  for (let attempt = 0; attempt < 3; attempt++) {
    [a, b] = await Promise.all(
      replicas.map(base => identityDetail(base, token, MEMBER)),
    );
    if (JSON.stringify(a) === JSON.stringify(b)) {
      break;
    }
    await sleep(500);
  }
  assert.deepEqual(a, b, 'both replicas show the same user detail');
  assert.equal(grants(a), true);
}

test('a membership removed at the IdP stops granting on both replicas within the stated window, and the page agrees on both', async t => {
  const adminId = await ensureUser(ADMIN);
  const memberId = await ensureUser(MEMBER);
  const groupId = await ensureAdminGroup([adminId, memberId]);

  const both = [userRef(ADMIN), userRef(MEMBER)].sort();
  for (const base of replicas) {
    await eventually(
      () => catalogMembers(base),
      members => both.every(m => members.includes(m)),
      { timeoutMs: 90_000, what: `${ADMIN_GROUP} with both users on ${base}` },
    );
  }
  const adminToken = await signIn(proxyUrl, userRef(ADMIN));
  const memberToken = await signIn(proxyUrl, userRef(MEMBER));

  // A membership gained may take up to grantLatencySeconds (60) to grant.
  for (const base of replicas) {
    await eventually(
      () => authorize(base, memberToken, IDENTITY_READ),
      result => result === 'ALLOW',
      { timeoutMs: 90_000, what: `identity.read for ${MEMBER} on ${base}` },
    );
    const summary = await fetch(`${base}/api/identity/summary`, {
      headers: { authorization: `Bearer ${memberToken}` },
    });
    assert.equal(summary.status, 200, 'the grant works on the real endpoint');
  }
  await sameDetailOnBoth(adminToken, true);

  // The IdP removes the member, through whichever replica the proxy picks.
  const removedAt = Date.now();
  expectStatus(
    await scim(proxyUrl, 'PATCH', `/Groups/${groupId}`, {
      body: patchOp({
        op: 'remove',
        path: `members[value eq "${memberId}"]`,
      }),
    }),
    200,
    204,
  );

  // Each replica's catalog and policy, polled side by side.
  const seen = {};
  const watch = async (key, read, done) => {
    const deadline = removedAt + 120_000;
    while (Date.now() < deadline) {
      if (done(await read())) {
        seen[key] = Date.now() - removedAt;
        return;
      }
      await sleep(POLL_MS);
    }
    assert.fail(`${key}: not within 120 s`);
  };
  await Promise.all(
    [replicaA, replicaB].flatMap((base, i) => [
      watch(
        `catalog ${i + 1}`,
        () => catalogMembers(base),
        members => !members.includes(userRef(MEMBER)),
      ),
      watch(
        `deny ${i + 1}`,
        () => authorize(base, memberToken, IDENTITY_READ),
        result => result === 'DENY',
      ),
    ]),
  );
  const catalogMs = Math.max(seen['catalog 1'], seen['catalog 2']);
  t.diagnostic(
    `after the IdP's remove: catalog shows it at ${seen['catalog 1']} / ${seen['catalog 2']} ms, policy denies at ${seen['deny 1']} / ${seen['deny 2']} ms (replica 1 / 2)`,
  );
  for (const n of [1, 2]) {
    assert.ok(
      seen[`deny ${n}`] <= catalogMs + CACHE_TTL_MS + MEASURE_SLACK_MS,
      `replica ${n} denied ${
        seen[`deny ${n}`]
      } ms after the remove, the catalog showed it at ${catalogMs} ms: more than cacheTtlSeconds later`,
    );
  }

  // And it stays denied on both, on the real endpoint too: no replica
  // answers from an older cache afterwards.
  for (let i = 0; i < 10; i++) {
    for (const base of replicas) {
      assert.equal(await authorize(base, memberToken, IDENTITY_READ), 'DENY');
      const summary = await fetch(`${base}/api/identity/summary`, {
        headers: { authorization: `Bearer ${memberToken}` },
      });
      assert.equal(summary.status, 403);
    }
    await sleep(POLL_MS);
  }
  // The admin who stayed keeps the grant on both.
  for (const base of replicas) {
    assert.equal(await authorize(base, adminToken, IDENTITY_READ), 'ALLOW');
  }
  await sameDetailOnBoth(adminToken, false);
});
