// SCIM client for the benchmark, run in a worker thread so that the client
// does not share the server's event loop. It sends the requests it is given
// to the loopback base URL it is given, `concurrency` at a time, each once
// (no retries), and reports per request: status, the created resource's id
// and the latency. Bounded: it stops when the list is done.
import { parentPort, workerData } from 'node:worker_threads';

const { baseUrl, token, concurrency, requests } = workerData;

const results = new Array(requests.length);
let next = 0;

async function loop() {
  while (next < requests.length) {
    const i = next++;
    const { method, path, body } = requests[i];
    const started = performance.now();
    let status = 0;
    let id;
    let error;
    try {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/scim+json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      status = res.status;
      const text = await res.text();
      if (status === 201 || status === 200) {
        id = JSON.parse(text).id;
      } else if (status >= 300) {
        error = text.slice(0, 300);
      }
    } catch (e) {
      error = String(e);
    }
    results[i] = { status, id, error, ms: performance.now() - started };
  }
}

// Epoch milliseconds, comparable with the main thread's clock.
const now = () => performance.timeOrigin + performance.now();
const startedAt = now();
await Promise.all(Array.from({ length: concurrency }, loop));
parentPort.postMessage({ results, startedAt, endedAt: now() });
