// Load generator for POST /api/permission/authorize, run in a worker thread
// so the client does not share the server's event loop. Bounded: it stops
// after `durationMs`, sending only to the loopback URL it is given.
import { parentPort, workerData } from 'node:worker_threads';

const { url, bodies, tokens, concurrency, durationMs, warmupMs } = workerData;

async function run(ms, record) {
  const latencies = [];
  let errors = 0;
  let next = 0;
  const end = performance.now() + ms;
  async function loop() {
    while (performance.now() < end) {
      const i = next++;
      const started = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${tokens[i % tokens.length]}`,
        },
        body: bodies[i % bodies.length],
      });
      await res.arrayBuffer();
      if (res.status !== 200) errors++;
      if (record) latencies.push(performance.now() - started);
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

await run(warmupMs, false);
const result = await run(durationMs, true);
parentPort.postMessage(result);
