#!/usr/bin/env node
// Writes the demo organisation (Group and User entities as catalog YAML).
//
//   node scripts/generate-org.mjs [--users N] [--groups M] [--out DIR] [--seed S]
//
// Defaults write examples/demo-org/ (300 users, 40 groups). The output is a
// pure function of the arguments, so the same arguments always give
// byte-identical files. What the organisation holds is in
// scripts/org/buildOrg.mjs, how it is written in scripts/org/writeOrg.mjs;
// the benchmarks in bench/ use both through bench/lib/org.ts.

import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIN_GROUPS, MIN_USERS, ORG_DEFAULTS } from './org/buildOrg.mjs';
import { writeOrg } from './org/writeOrg.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_OUT = join(REPO_ROOT, 'examples', 'demo-org');

function usage(message) {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(
    'Usage: node scripts/generate-org.mjs [--users N] [--groups M] [--out DIR] [--seed S]\n',
  );
  process.exit(message ? 2 : 0);
}

function parseArgs(argv) {
  const args = { ...ORG_DEFAULTS, out: DEFAULT_OUT };
  for (let i = 0; i < argv.length; i++) {
    let [key, value] = argv[i].split(/=(.*)/s, 2);
    if (key === '--help' || key === '-h') usage();
    if (!['--users', '--groups', '--out', '--seed'].includes(key)) {
      usage(`Unknown argument: ${argv[i]}`);
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) usage(`Missing value for ${key}`);
    }
    const name = key.slice(2);
    if (name === 'users' || name === 'groups') {
      if (!/^\d+$/.test(value)) usage(`${key} must be a whole number`);
      args[name] = Number(value);
    } else if (name === 'out') {
      args.out = resolve(value);
    } else {
      args.seed = value;
    }
  }
  if (args.users < MIN_USERS) usage(`--users must be at least ${MIN_USERS}`);
  if (args.groups < MIN_GROUPS)
    usage(`--groups must be at least ${MIN_GROUPS}`);
  return args;
}

async function main() {
  const { out, ...args } = parseArgs(process.argv.slice(2));
  const written = await writeOrg(out, args);

  // Inside the repository, say where relative to it.
  const rel = relative(REPO_ROOT, out);
  const where = rel && !rel.startsWith('..') ? rel : out;
  process.stdout.write(
    `Wrote ${args.users} users and ${args.groups} groups to ${where} (seed ${args.seed}):\n`,
  );
  for (const w of written) {
    process.stdout.write(
      `  ${w.file.padEnd(34)} ${String(w.count).padStart(6)} entities\n`,
    );
  }
  process.stdout.write(
    `  ${'all.yaml'.padEnd(34)} ${String(1).padStart(6)} Location (${
      written.length
    } targets)\n`,
  );
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
