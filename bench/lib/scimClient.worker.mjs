// SCIM client for the benchmarks (bench/lib/scimProvisioning.ts), run in a
// worker thread so that the client does not share the event loop of a
// server in the same process. It sends the requests it is given to the
// loopback base URL it is given, `concurrency` at a time, and reports per
// request: status, the created resource's id, the latency and the retries.
// Bounded: it stops when the list is done, and a request that gets no
// answer within `timeoutMs` counts as failed (status 0).
//
// Retries: none unless `retry` is given ({ statuses, max, delayMs }). Then
// a request answered with one of those statuses (or with no answer) is sent
// again, up to `max` times, `delayMs` apart, as an IdP retries on 5xx; a
// POST that then answers 409 (the first attempt was committed after all)
// is resolved as an IdP does, by looking the resource up with a filter on
// userName or displayName, and counts as created.
import { parentPort, workerData } from 'node:worker_threads';

const { baseUrl, token, concurrency, requests, timeoutMs, retry } = workerData;

const results = new Array(requests.length);
let next = 0;
const headers = {
  authorization: `Bearer ${token}`,
  'content-type': 'application/scim+json',
};
const sleep = ms => new Promise(r => setTimeout(r, ms));

async function send(method, path, body) {
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs ?? 60_000),
    });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    return { status: 0, text: String(e) };
  }
}

/** The id of the resource a POST body describes, looked up by filter. */
async function lookUp(path, body) {
  const filter = body.userName
    ? `userName eq "${body.userName}"`
    : `displayName eq "${body.displayName}"`;
  const res = await send(
    'GET',
    `${path}?filter=${encodeURIComponent(filter)}`,
    undefined,
  );
  if (res.status !== 200) return undefined;
  return JSON.parse(res.text).Resources?.[0]?.id;
}

async function loop() {
  while (next < requests.length) {
    const i = next++;
    const { method, path, body } = requests[i];
    const started = performance.now();
    const retried = [];
    let res = await send(method, path, body);
    while (
      retry &&
      retried.length < retry.max &&
      (res.status === 0 || retry.statuses.includes(res.status))
    ) {
      retried.push(res.status);
      await sleep(retry.delayMs);
      res = await send(method, path, body);
    }
    let { status } = res;
    let id;
    let error;
    let recovered = false;
    if (status === 201 || status === 200) {
      id = JSON.parse(res.text).id;
    } else if (retried.length && status === 409 && method === 'POST') {
      id = await lookUp(path, body);
      if (id) {
        status = 201;
        recovered = true;
      } else {
        error = res.text.slice(0, 300);
      }
    } else if (status >= 300 || status === 0) {
      error = res.text.slice(0, 300);
    }
    results[i] = {
      status,
      id,
      error,
      ms: performance.now() - started,
      retried,
      recovered,
    };
  }
}

// Epoch milliseconds, comparable with the main thread's clock.
const now = () => performance.timeOrigin + performance.now();
const startedAt = now();
await Promise.all(Array.from({ length: concurrency }, loop));
parentPort.postMessage({ results, startedAt, endedAt: now() });
