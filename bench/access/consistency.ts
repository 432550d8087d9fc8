import { catalogPermissions } from '@backstage/plugin-catalog-common/alpha';
import { Permission } from '@backstage/plugin-permission-common';
import {
  identityPermissions,
  UserAccessResponse,
} from '@identity-governance/plugin-identity-common';
import { log, signIn } from '../identity/harness';
import { summarize, Summary } from '../identity/stats';

const permissionsByName = new Map<string, Permission>(
  [...catalogPermissions, ...identityPermissions].map(p => [p.name, p]),
);

/** The permission objects of the guarded names, as a client sends them. */
export function permissionObjects(names: string[]): Permission[] {
  return names.map(name => {
    const permission = permissionsByName.get(name);
    if (!permission) {
      throw new Error(
        `${name} is guarded, but neither the catalog nor the identity plugin defines it`,
      );
    }
    return permission;
  });
}

export interface Difference {
  userRef: string;
  permission: string;
  /** What /access/users said (allow, deny, conditional), or an error. */
  explained: string;
  /** What POST /api/permission/authorize answered the user, or an error. */
  authorize: string;
  decidedBy?: string;
}

export interface WhoCanComparison {
  permission: string;
  /** Users in the who-can CSV. */
  listed: number;
  /** Users the permission backend allowed. */
  allowed: number;
  /** Listed but not allowed, or allowed but not listed. */
  differences: number;
  examples: string[];
}

export interface ConsistencyResult {
  /** Users checked. */
  users: number;
  /** Users there were to check; more than `users` when stopped by maxMs. */
  usersToCheck: number;
  permissions: string[];
  /** Where resource permissions were asked about (nobody owns it). */
  resourceRef: string;
  concurrency: number;
  /** (user, permission) pairs compared. */
  pairs: number;
  /** Pairs /access/users called conditional (an owner rule). */
  conditionalPairs: number;
  /** Allow, deny and conditional counts as /access/users gave them. */
  explained: Record<string, number>;
  differenceCount: number;
  /** The first differences, at most 20. */
  differences: Difference[];
  /** Users /access/users did not find in the catalog (expected none). */
  usersNotFound: number;
  durationMs: number;
  /** Each user's demo sign-in, its /access/users and its authorize call. */
  signInMs: Summary;
  accessUsersMs: Summary;
  authorizeMs: Summary;
  whoCan: WhoCanComparison[];
  whoCanDifferenceCount: number;
}

const RESULT: Record<string, string> = {
  ALLOW: 'allow',
  DENY: 'deny',
  CONDITIONAL: 'conditional',
};

/**
 * For every user of the organisation and every guarded permission: what
 * `GET /api/identity/access/users/:namespace/:name` explains (asked with
 * Ada's token, as the Access tab asks) against what
 * `POST /api/permission/authorize` answers the user itself (with the user's
 * own token from the demo sign-in provider; all guarded permissions in one
 * batch per user, since a batch is one user's). The permission backend
 * refuses a user's own request for a resource permission without a
 * resourceRef, so those are asked about `resourceRef`, an entity nobody
 * owns: there an owner rule's `conditional` decides deny, and every other
 * decision is the same for every entity (as plugins/identity-backend's
 * access.test.ts compares).
 *
 * Then, for every guarded permission, the users of
 * `GET /access/who-can/:permission/export.csv` against those the permission
 * backend allowed.
 */
export async function checkConsistency(options: {
  baseUrl: string;
  /** Returns a valid admin token (Ada's), renewed as it ages. */
  adminToken: () => Promise<string>;
  userRefs: string[];
  permissions: string[];
  resourceRef: string;
  concurrency: number;
  /** Stop taking users after this long (the result says so). */
  maxMs?: number;
}): Promise<ConsistencyResult> {
  const { baseUrl, userRefs, permissions, resourceRef } = options;
  const objects = permissionObjects(permissions);
  const items = objects.map(permission => ({
    id: permission.name,
    permission,
    ...(permission.type === 'resource' ? { resourceRef } : {}),
  }));
  const allowedBy = new Map(permissions.map(p => [p, new Set<string>()]));
  const explained: Record<string, number> = {};
  const differences: Difference[] = [];
  let differenceCount = 0;
  let pairs = 0;
  let conditionalPairs = 0;
  let usersNotFound = 0;
  const signInMs: number[] = [];
  const accessUsersMs: number[] = [];
  const authorizeMs: number[] = [];
  const differ = (difference: Difference) => {
    differenceCount += 1;
    if (differences.length < 20) {
      differences.push(difference);
    }
  };

  async function checkUser(userRef: string) {
    const [, namespace, name] = /^user:([^/]+)\/(.+)$/.exec(userRef)!;
    // The explanation, as the Access tab asks for it.
    let started = performance.now();
    const explainedRes = await fetch(
      `${baseUrl}/api/identity/access/users/${encodeURIComponent(
        namespace,
      )}/${encodeURIComponent(name)}`,
      { headers: { authorization: `Bearer ${await options.adminToken()}` } },
    );
    const explainedText = await explainedRes.text();
    accessUsersMs.push(performance.now() - started);
    let body: UserAccessResponse | undefined;
    if (explainedRes.ok) {
      body = JSON.parse(explainedText);
    }

    // The user's own question to the permission backend.
    let answers = new Map<string, string>();
    let authorizeError: string | undefined;
    try {
      started = performance.now();
      const token = await signIn(baseUrl, userRef);
      signInMs.push(performance.now() - started);
      started = performance.now();
      const res = await fetch(`${baseUrl}/api/permission/authorize`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ items }),
      });
      const text = await res.text();
      authorizeMs.push(performance.now() - started);
      if (!res.ok) {
        authorizeError = `${res.status} ${text.slice(0, 300)}`;
      } else {
        const answer = JSON.parse(text) as {
          items: Array<{ id: string; result: string }>;
        };
        answers = new Map(
          answer.items.map(i => [i.id, RESULT[i.result] ?? i.result]),
        );
      }
    } catch (error) {
      authorizeError = String(error);
    }

    if (body && !body.userFound) {
      usersNotFound += 1;
    }
    const byPermission = new Map(body?.items.map(i => [i.permission, i]));
    for (const permission of permissions) {
      pairs += 1;
      const item = byPermission.get(permission);
      const result = item?.result;
      if (result) {
        explained[result] = (explained[result] ?? 0) + 1;
      }
      if (result === 'conditional') {
        conditionalPairs += 1;
      }
      const answer = answers.get(permission);
      if (answer === 'allow') {
        allowedBy.get(permission)!.add(userRef);
      }
      // An owner rule, asked about an entity nobody owns: deny.
      const expected = result === 'conditional' ? 'deny' : result;
      if (!item || authorizeError || answer !== expected) {
        differ({
          userRef,
          permission,
          explained: item
            ? item.result
            : `no item (${explainedRes.status} ${explainedText.slice(0, 200)})`,
          authorize: authorizeError ?? answer ?? 'no item',
          decidedBy: item
            ? [item.decidedBy.kind, item.decidedBy.rule, item.decidedBy.group]
                .filter(Boolean)
                .join(' ')
            : undefined,
        });
      }
    }
  }

  const startedAt = Date.now();
  let next = 0;
  let done = 0;
  let lastPrint = Date.now();
  const deadline = options.maxMs ? startedAt + options.maxMs : Infinity;
  const checked = new Set<string>();
  const worker = async () => {
    while (next < userRefs.length && Date.now() < deadline) {
      const userRef = userRefs[next++];
      await checkUser(userRef);
      checked.add(userRef);
      done += 1;
      if (Date.now() - lastPrint > 30_000) {
        lastPrint = Date.now();
        const elapsed = Date.now() - startedAt;
        log(
          `consistency: ${done}/${
            userRefs.length
          } users, ${differenceCount} differences so far, about ${Math.round(
            ((elapsed / done) * (userRefs.length - done)) / 60_000,
          )} min left`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const durationMs = Date.now() - startedAt;

  // Who can, as its CSV lists them, against whom authorize allowed.
  const whoCan: WhoCanComparison[] = [];
  for (const permission of permissions) {
    const listed = await csvUsers(
      `${baseUrl}/api/identity/access/who-can/${permission}/export.csv`,
      await options.adminToken(),
    );
    // Only the users checked (all of them, unless stopped by maxMs).
    const inOrg = new Set([...listed].filter(u => checked.has(u)));
    const allowed = allowedBy.get(permission)!;
    const examples: string[] = [];
    let count = 0;
    for (const u of inOrg) {
      if (!allowed.has(u)) {
        count += 1;
        if (examples.length < 5) examples.push(`${u} listed, not allowed`);
      }
    }
    for (const u of allowed) {
      if (!inOrg.has(u)) {
        count += 1;
        if (examples.length < 5) examples.push(`${u} allowed, not listed`);
      }
    }
    whoCan.push({
      permission,
      listed: listed.size,
      allowed: allowed.size,
      differences: count,
      examples,
    });
  }

  return {
    users: checked.size,
    usersToCheck: userRefs.length,
    permissions,
    resourceRef,
    concurrency: options.concurrency,
    pairs,
    conditionalPairs,
    explained,
    differenceCount,
    differences,
    usersNotFound,
    durationMs,
    signInMs: summarize(signInMs),
    accessUsersMs: summarize(accessUsersMs),
    authorizeMs: summarize(authorizeMs),
    whoCan,
    whoCanDifferenceCount: whoCan.reduce((s, w) => s + w.differences, 0),
  };
}

/** The users (first column) of a who-can CSV. */
async function csvUsers(url: string, token: string): Promise<Set<string>> {
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${res.status} from ${url}: ${text.slice(0, 300)}`);
  }
  const lines = text.split('\r\n').filter(Boolean);
  return new Set(lines.slice(1).map(line => line.slice(0, line.indexOf(','))));
}
