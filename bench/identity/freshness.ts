import { createServer } from 'node:http';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * How long one index refresh runs when nothing changed: polls the summary
 * and, each time `indexedAt` (the start of the last finished refresh) moves,
 * takes the time since that start. The poll period is added to each figure.
 */
export async function timeIdleRefreshes(
  baseUrl: string,
  token: string,
  count: number,
  /** Starts a refresh, when none runs on a schedule. */
  trigger?: () => Promise<void>,
  pollMs = 50,
): Promise<number[]> {
  const durations: number[] = [];
  let last: string | undefined;
  const deadline = Date.now() + count * 60_000;
  while (durations.length < count && Date.now() < deadline) {
    const res = await fetch(`${baseUrl}/api/identity/summary`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { indexedAt } = await res.json();
    const now = Date.now();
    if (last !== undefined && indexedAt !== last) {
      durations.push(now - Date.parse(indexedAt));
    }
    if (trigger && (last === undefined || indexedAt !== last)) {
      await sleep(500);
      await trigger();
    }
    last = indexedAt;
    await sleep(pollMs);
  }
  return durations;
}

/** Where the freshness check serves its users' YAML from. */
function freshnessTarget(port: number) {
  return `http://localhost:${port}/`;
}

/**
 * Deletes the catalog locations of a freshness check, and with them the users
 * they brought: with BENCH_DB_DIR the catalog outlives the run, and an
 * interrupted run may have left some behind. Returns how many it deleted.
 */
export async function removeFreshnessLocations(
  baseUrl: string,
  token: string,
  port: number,
): Promise<number> {
  const headers = { authorization: `Bearer ${token}` };
  const res = await fetch(`${baseUrl}/api/catalog/locations`, { headers });
  if (!res.ok) {
    throw new Error(`listing locations: ${res.status} ${await res.text()}`);
  }
  const locations = (await res.json()) as Array<{
    data: { id: string; target: string };
  }>;
  let deleted = 0;
  for (const { data } of locations) {
    if (!data.target.startsWith(freshnessTarget(port))) {
      continue;
    }
    const del = await fetch(`${baseUrl}/api/catalog/locations/${data.id}`, {
      method: 'DELETE',
      headers,
    });
    if (!del.ok) {
      throw new Error(
        `deleting location ${data.target}: ${del.status} ${await del.text()}`,
      );
    }
    deleted += 1;
  }
  return deleted;
}

export interface FreshnessRun {
  user: string;
  /** From registering the location until the catalog API has the user. */
  catalogMs: number;
  /** From registering the location until the identity API has the user. */
  indexMs: number;
}

/**
 * How far the Identity page is behind the catalog: serves a YAML file with
 * one new user from this process, registers it as a new `url` location (as
 * Ada, through the catalog API; the catalog accepts only `url` locations
 * there, and reads this host because of `backend.reading.allow`), and polls
 * both APIs every 100 ms until each has the user.
 */
export async function timeFreshness(options: {
  baseUrl: string;
  port: number;
  userToken: string;
  readToken: string;
  group: string;
  runs: number;
}): Promise<FreshnessRun[]> {
  const { baseUrl, userToken, readToken } = options;
  const files = new Map<string, string>();
  const server = createServer((req, res) => {
    const body = files.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/yaml' });
    res.end(body ?? '');
  });
  await new Promise<void>(resolve =>
    server.listen(options.port, 'localhost', resolve),
  );
  const found = async (path: string) => {
    const res = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${readToken}` },
    });
    await res.arrayBuffer();
    return res.ok;
  };
  try {
    const runs: FreshnessRun[] = [];
    for (let k = 1; k <= options.runs; k++) {
      const user = `fresh.user${k}-${Date.now()}`;
      files.set(
        `/${user}.yaml`,
        [
          'apiVersion: backstage.io/v1alpha1',
          'kind: User',
          'metadata:',
          `  name: ${user}`,
          'spec:',
          '  profile:',
          `    displayName: Fresh User ${k}`,
          `    email: ${user}@example.com`,
          `  memberOf: [${options.group}]`,
          '',
        ].join('\n'),
      );
      const started = Date.now();
      const res = await fetch(`${baseUrl}/api/catalog/locations`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${userToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          type: 'url',
          target: `${freshnessTarget(options.port)}${user}.yaml`,
        }),
      });
      if (!res.ok) {
        throw new Error(
          `registering a location: ${res.status} ${await res.text()}`,
        );
      }
      let catalogMs = NaN;
      let indexMs = NaN;
      while (Number.isNaN(indexMs) && Date.now() - started < 120_000) {
        if (
          Number.isNaN(catalogMs) &&
          (await found(`/api/catalog/entities/by-name/user/default/${user}`))
        ) {
          catalogMs = Date.now() - started;
        }
        if (await found(`/api/identity/users/default/${user}`)) {
          indexMs = Date.now() - started;
        }
        await sleep(100);
      }
      runs.push({ user, catalogMs, indexMs });
    }
    return runs;
  } finally {
    await new Promise(resolve => server.close(resolve));
    // Its users must not be in the next run's catalog (BENCH_DB_DIR); one
    // left behind is deleted when that run starts.
    await removeFreshnessLocations(baseUrl, userToken, options.port).catch(
      error =>
        console.warn(
          `Could not delete the freshness check's locations: ${error}`,
        ),
    );
  }
}
