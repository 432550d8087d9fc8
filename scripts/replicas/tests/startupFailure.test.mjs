// A replica whose startup fails exits non-zero, so that an orchestrator
// restarts it (or a person sees it), instead of staying up half-started
// with a failing health check and open database connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appDir, configDir, dbPrefix, repoRoot } from './harness.mjs';

// A bound on the wait, not a measure: a backend that stays up after a failed
// start never exits, and the test must end.
const EXIT_BOUND_MS = 120_000;

test('a replica whose plugin fails at init exits non-zero', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'replica-startup-'));
  const failing = join(dir, 'failing.yaml');
  writeFileSync(
    failing,
    [
      '# TEST ONLY: one invalid setting, read by the identity plugin at init.',
      'backend:',
      '  listen:',
      '    port: 7203',
      '  database:',
      // Under this run's prefix, so that stop drops what it created.
      `    prefix: ${dbPrefix}startup_failure_`,
      'identity:',
      '  pageSize:',
      '    default: 0',
      '',
    ].join('\n'),
  );
  const child = spawn(
    process.execPath,
    [
      'packages/backend',
      '--config',
      `${repoRoot}app-config.yaml`,
      '--config',
      `${repoRoot}app-config.production.yaml`,
      '--config',
      `${configDir}/test-only.yaml`,
      '--config',
      failing,
    ],
    {
      cwd: appDir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        POSTGRES_HOST: process.env.POSTGRES_HOST ?? '127.0.0.1',
        POSTGRES_PORT: process.env.POSTGRES_PORT ?? '5432',
        POSTGRES_USER: process.env.POSTGRES_USER ?? 'postgres',
        POSTGRES_PASSWORD: process.env.POSTGRES_PASSWORD ?? 'unused',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', chunk => (output += chunk));
  child.stderr.on('data', chunk => (output += chunk));
  let timer;
  const exit = await Promise.race([
    new Promise(resolve =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    ),
    new Promise(resolve => {
      timer = setTimeout(() => resolve(undefined), EXIT_BOUND_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!exit) {
    child.kill('SIGKILL');
  }
  assert.ok(
    exit,
    `still running ${
      EXIT_BOUND_MS / 1000
    }s after start; its output:\n${output.slice(-3000)}`,
  );
  assert.notEqual(exit.code, 0, output.slice(-3000));
  assert.equal(exit.signal, null);
  assert.match(output, /Backend failed to start/);
  assert.match(output, /identity\.pageSize\.default/);
});
