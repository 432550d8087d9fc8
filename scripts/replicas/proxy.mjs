#!/usr/bin/env node
// The load balancer of the production-shaped run (scripts/replicas.sh): a
// round-robin HTTP proxy in front of the backend replicas, with nothing but
// Node's own http module.
//
//   node scripts/replicas/proxy.mjs --port 7200 \
//     --target http://127.0.0.1:7201 --target http://127.0.0.1:7202
//
// It behaves like a plain nginx upstream block, on purpose no smarter:
// - each request goes to the next replica in turn;
// - a request that could not be delivered (connection refused) goes to the
//   next replica, whatever its method, since no replica saw it; one that
//   failed after it was sent (connection reset, before any response) goes
//   to the next replica only if its method is idempotent, as nginx's
//   `proxy_next_upstream error` does (never POST or PATCH);
// - a replica that refused a connection is skipped for a few seconds;
// - once a response has begun, a failure is the client's to see (502);
// - an idle connection to a replica is closed by the proxy after
//   --upstream-idle-ms (2000), before the replica's own keep-alive timeout
//   (Node's and so Backstage's default, backend.server.keepAliveTimeout, is
//   5 s) can close it: otherwise a POST sent on a connection the replica is
//   closing at that moment fails with ECONNRESET and, not being idempotent,
//   reaches the client as a 502 (seen once in bench:capacity). nginx users
//   get the same from `keepalive_timeout` in the upstream block.
// Every response names the replica that served it in `x-served-by`, so that
// tests can tell where a request went.
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '7200' },
    host: { type: 'string', default: '127.0.0.1' },
    target: { type: 'string', multiple: true },
    'upstream-idle-ms': { type: 'string', default: '2000' },
  },
});
const targets = (values.target ?? []).map(t => new URL(t));
if (!targets.length) {
  console.error('proxy: at least one --target is required');
  process.exit(2);
}

const SKIP_FAILED_MS = 3000;
const NON_IDEMPOTENT = new Set(['POST', 'PATCH', 'LOCK']);
const downUntil = new Map();
let next = 0;

/** The replicas to try for one request, starting with the next in turn. */
function candidates() {
  const start = next++ % targets.length;
  const ordered = targets.map((_, i) => targets[(start + i) % targets.length]);
  const now = Date.now();
  const up = ordered.filter(t => (downUntil.get(t.href) ?? 0) <= now);
  return up.length ? up : ordered;
}

const upstreamIdleMs = Number(values['upstream-idle-ms']);
if (!Number.isInteger(upstreamIdleMs) || upstreamIdleMs < 1) {
  console.error('proxy: --upstream-idle-ms must be a whole number above 0');
  process.exit(2);
}
// The agent's socket timeout closes a socket only while it is free (idle in
// the pool); a request in flight merely gets a 'timeout' event, unheard here.
const agent = new http.Agent({
  keepAlive: true,
  maxSockets: 256,
  timeout: upstreamIdleMs,
});

function forward(req, res, body, queue) {
  const target = queue.shift();
  const upstream = http.request(
    {
      agent,
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: {
        ...req.headers,
        'x-forwarded-for': req.socket.remoteAddress,
        'x-forwarded-host': req.headers.host,
        'x-forwarded-proto': 'http',
      },
    },
    upstreamRes => {
      res.writeHead(upstreamRes.statusCode ?? 502, {
        ...upstreamRes.headers,
        'x-served-by': target.host,
      });
      upstreamRes.pipe(res);
      upstreamRes.on('error', () => res.destroy());
    },
  );
  upstream.on('error', error => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    downUntil.set(target.href, Date.now() + SKIP_FAILED_MS);
    const delivered = error.code !== 'ECONNREFUSED';
    if (queue.length && !(delivered && NON_IDEMPOTENT.has(req.method))) {
      forward(req, res, body, queue);
      return;
    }
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: no replica answered (${error.code ?? error.message})\n`);
  });
  upstream.end(body);
}

const server = http.createServer((req, res) => {
  // The body is buffered so that an undelivered request can go to the next
  // replica; the requests of this setup are small.
  const chunks = [];
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', () => forward(req, res, Buffer.concat(chunks), candidates()));
});

server.listen(Number(values.port), values.host, () => {
  console.log(
    `proxy: http://${values.host}:${server.address().port} -> ${targets
      .map(t => t.host)
      .join(', ')} (round robin)`,
  );
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    agent.destroy();
    process.exit(0);
  });
}
