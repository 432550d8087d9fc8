#!/usr/bin/env node
/*
 * Serves the production build of packages/app (`yarn workspace app build`)
 * the way a static host in front of Backstage does: the files of dist/, and
 * index.html for every other path, so that a reload of /identity/users works.
 * The Playwright tests use it (playwright.config.ts): a page of the built app
 * loads in a fraction of the time the development server's unminified bundle
 * takes, and it is what users get.
 *
 *   node scripts/serveApp.mjs [port]    default 3000
 */
import express from 'express';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = join(
  dirname(fileURLToPath(import.meta.url)),
  '../packages/app/dist',
);
const port = Number(process.argv[2] ?? 3000);

if (!existsSync(join(DIST, 'index.html'))) {
  console.error(
    `serveApp: ${DIST}/index.html is missing; run yarn workspace app build first`,
  );
  process.exit(1);
}

const app = express();
// Hashed file names under static/ never change; index.html always may. A
// file missing there is a 404, not index.html: a stale chunk name then
// fails as such instead of as a script that is HTML.
app.use(
  '/static',
  express.static(join(DIST, 'static'), {
    immutable: true,
    maxAge: '1y',
    fallthrough: false,
  }),
);
app.use(express.static(DIST, { index: false }));
app.get(/.*/, (_req, res) => {
  res.setHeader('cache-control', 'no-store');
  res.sendFile(join(DIST, 'index.html'));
});

// serve-static's own errors (the 404 above) without express's default page,
// which names the file's path on disk.
app.use((err, _req, res, _next) => {
  const status = err.status ?? err.statusCode ?? 500;
  res
    .status(status)
    .type('text/plain')
    .send(status === 404 ? 'Not found' : 'Error');
});

app.listen(port, () => {
  console.log(`serveApp: ${DIST} on http://localhost:${port}`);
});
