/*
 * What a benchmark run needs around its backend, shared by bench/identity
 * and bench/access: a log line with the time, the machine's other load (a CI
 * run, another benchmark) and the wait for it to end, a process's CPU use,
 * the demo sign-in, and the wait until the catalog and the identity index
 * hold the whole organisation.
 */
import { readFileSync } from 'node:fs';
import { otherWork } from '../lib/machine';
import { Backend } from './backendProcess';

export const log = (line: string) =>
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/**
 * Other heavy work on this machine (see otherWork in bench/lib/machine),
 * as `pgrep -af` lines. `self` is the calling benchmark's folder (e.g.
 * `bench/identity`): lines naming it are its own script and backend.
 */
export function otherLoad(self: string): string[] {
  return otherWork(self);
}

export function ciRunning(self: string): boolean {
  return otherLoad(self).some(line => line.includes('/tmp/ci-check'));
}

/** Measuring waits (at most `minutes`) while other load runs. */
export async function waitForQuietMachine(self: string, minutes: number) {
  const deadline = Date.now() + minutes * 60_000;
  for (;;) {
    const others = otherLoad(self);
    if (!others.length) {
      return [];
    }
    if (Date.now() > deadline) {
      log(`measuring anyway, still running: ${others.join('; ')}`);
      return others;
    }
    log(`waiting for: ${others.map(o => o.slice(0, 120)).join('; ')}`);
    await new Promise(r => setTimeout(r, 60_000));
  }
}

/** CPU used by a process over a window, in percent of one core. */
export async function cpuPercent(pid: number, windowMs: number) {
  const ticks = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const a = ticks();
  await new Promise(r => setTimeout(r, windowMs));
  return ((ticks() - a) / 100 / (windowMs / 1000)) * 100;
}

export async function getJson(url: string, token: string) {
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) {
    throw new Error(`${res.status} from ${url}: ${await res.text()}`);
  }
  return res.json();
}

export const ADA = 'user:default/ada.admin';

/**
 * A user's token, as the demo sign-in page gets it (the user must be listed
 * in `demoSignIn.users`). Ada (admin) by default.
 */
export async function signIn(baseUrl: string, userRef = ADA): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/demo/refresh`, {
    headers: { 'x-demo-user': userRef, 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(
      `demo sign-in as ${userRef}: ${res.status} ${await res.text()}`,
    );
  }
  return (await res.json()).backstageIdentity.token;
}

/** Starts an index refresh now, unless one is running. */
export async function triggerRefresh(baseUrl: string, token: string) {
  const res = await fetch(
    `${baseUrl}/api/identity/.backstage/scheduler/v1/tasks/identity-index-refresh/trigger`,
    { method: 'POST', headers: { authorization: `Bearer ${token}` } },
  );
  await res.arrayBuffer();
}

export interface IngestionOptions {
  users: number;
  groups: number;
  /** The static token of the benchmark's own reads. */
  token: string;
  timeoutMin: number;
  /** Trigger the index refresh on every poll (no refresh on a schedule). */
  triggerRefreshes: boolean;
}

/**
 * Waits until the catalog holds every user and group, then until the
 * identity index does, then until two refreshes in a row changed nothing.
 */
export async function waitForIngestion(
  backend: Backend,
  options: IngestionOptions,
) {
  const { users: USERS, groups: GROUPS, token: TOKEN } = options;
  const base = backend.baseUrl;
  const count = async (kind: string) =>
    (
      await getJson(
        `${base}/api/catalog/entities/by-query?filter=kind=${kind}&limit=0`,
        TOKEN,
      )
    ).totalItems as number;
  const deadline = Date.now() + options.timeoutMin * 60_000;
  let catalogDoneAt: number | undefined;
  let indexDoneAt: number | undefined;
  let lastIndexed = { users: -1, at: Date.now() };
  let lastPrint = 0;
  // Refreshes that changed something so far, the index's last refresh, and
  // how many refreshes in a row since then changed nothing.
  let quiet = { changes: -1, indexedAt: '', refreshes: 0 };
  for (;;) {
    if (backend.child.exitCode !== null) {
      throw new Error('The backend exited while ingesting');
    }
    const [users, groups, summary] = await Promise.all([
      count('user'),
      count('group'),
      getJson(`${base}/api/identity/summary`, TOKEN),
    ]);
    const now = Date.now();
    if (!catalogDoneAt && users >= USERS && groups >= GROUPS) {
      catalogDoneAt = now;
    }
    if (
      catalogDoneAt &&
      !indexDoneAt &&
      summary.totalUsers >= USERS &&
      summary.totalGroups >= GROUPS
    ) {
      indexDoneAt = now;
    }
    if (summary.totalUsers !== lastIndexed.users) {
      lastIndexed = { users: summary.totalUsers, at: now };
    }
    if (now - lastPrint > 30_000) {
      lastPrint = now;
      log(
        `ingesting: catalog ${users}/${USERS} users, ${groups}/${GROUPS} groups; identity index ${summary.totalUsers} users, ${summary.totalGroups} groups`,
      );
    }
    if (indexDoneAt) {
      // Quiet: the index finished two refreshes (indexedAt moved twice) and
      // none of them logged a change.
      const changes = backend.events.refreshesWithChanges.length;
      if (quiet.changes !== changes) {
        quiet = { changes, indexedAt: summary.indexedAt, refreshes: 0 };
      } else if (summary.indexedAt !== quiet.indexedAt) {
        quiet = {
          changes,
          indexedAt: summary.indexedAt,
          refreshes: quiet.refreshes + 1,
        };
        if (quiet.refreshes >= 2) {
          return {
            catalogMs: catalogDoneAt! - backend.startedAt,
            indexMs: indexDoneAt - backend.startedAt,
            quietMs: now - backend.startedAt,
          };
        }
      }
    }
    if (catalogDoneAt && now - lastIndexed.at > 5 * 60_000 && !indexDoneAt) {
      const errors = backend.events.refreshErrors;
      throw new Error(
        `The identity index stopped at ${
          lastIndexed.users
        } users for 5 minutes while the catalog has them all; ${
          errors.length
        } refresh errors in the backend log, last: ${
          errors[errors.length - 1]
        }`,
      );
    }
    if (now > deadline) {
      throw new Error(
        `Ingestion did not finish within ${options.timeoutMin} minutes`,
      );
    }
    if (options.triggerRefreshes) {
      await triggerRefresh(base, TOKEN);
    }
    await new Promise(r => setTimeout(r, 3000));
  }
}
