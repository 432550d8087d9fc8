#!/usr/bin/env node
// Writes the demo organisation (Group and User entities as catalog YAML).
//
//   node scripts/generate-org.mjs [--users N] [--groups M] [--out DIR] [--seed S]
//
// Defaults write examples/demo-org/ (300 users, 40 groups). The output is a
// pure function of the arguments: a seeded PRNG (mulberry32) and no clocks, so
// the same arguments always give byte-identical files. Entities are streamed
// to files of at most FILE_LIMIT entities, and `all.yaml` is a Location whose
// targets list every file, so one catalog location can ingest a large org.
//
// Named users and groups below are relied on by tests, by the demo sign-in
// page and by docs (examples/README.md): keep them stable.

import { once } from 'node:events';
import { createWriteStream, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FILE_LIMIT = 5000;
const DEFAULTS = { users: 300, groups: 40, seed: 'demo-corp' };
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_OUT = join(REPO_ROOT, 'examples', 'demo-org');

const CORP = 'demo-corp.example.com';
const CONTRACTORS = 'contractors.example.com';
const SHARED_MAILBOX = 'shared.mailbox@example.com';

// --- arguments --------------------------------------------------------------

function usage(message) {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(
    'Usage: node scripts/generate-org.mjs [--users N] [--groups M] [--out DIR] [--seed S]\n',
  );
  process.exit(message ? 2 : 0);
}

function parseArgs(argv) {
  const args = { ...DEFAULTS, out: DEFAULT_OUT };
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
  if (args.users < SPECIAL_USERS.length) {
    usage(`--users must be at least ${SPECIAL_USERS.length}`);
  }
  if (args.groups < MIN_GROUPS)
    usage(`--groups must be at least ${MIN_GROUPS}`);
  return args;
}

// --- deterministic randomness -------------------------------------------------

function hashSeed(text) {
  // FNV-1a, so that any string (or number) is a valid seed.
  let h = 0x811c9dc5;
  for (const ch of String(text)) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- the organisation -------------------------------------------------------

// Departments and the teams each one is known for. Team names are unique
// across departments, so names stay unique when departments repeat.
const DEPARTMENTS = [
  [
    'engineering',
    [
      'payments',
      'checkout',
      'search',
      'identity',
      'mobile',
      'web',
      'observability',
      'data-platform',
    ],
  ],
  [
    'product',
    ['product-design', 'user-research', 'product-analytics', 'roadmap'],
  ],
  [
    'sales',
    ['field-sales', 'inside-sales', 'sales-engineering', 'partnerships'],
  ],
  ['marketing', ['brand', 'content', 'growth', 'events']],
  ['finance', ['accounting', 'procurement', 'payroll', 'planning']],
  ['people', ['recruiting', 'people-ops', 'learning', 'workplace']],
  ['legal', ['contracts', 'privacy', 'compliance']],
  ['support', ['customer-success', 'support-desk', 'support-escalations']],
  ['security', ['appsec', 'secops', 'risk']],
  ['data', ['data-engineering', 'machine-learning', 'business-intelligence']],
  ['design', ['design-system', 'ux-writing']],
  ['operations', ['it-services', 'facilities', 'vendor-management']],
];
const SQUAD_WORDS = [
  'alpha',
  'bravo',
  'charlie',
  'delta',
  'echo',
  'foxtrot',
  'golf',
  'hotel',
  'india',
  'juliett',
  'kilo',
  'lima',
];
// org, platform-admins, platform-admins-emea, sre + one department, team, squad
const MIN_GROUPS = 7;

const FIRST_NAMES = [
  'aaron',
  'abigail',
  'adrian',
  'aisha',
  'alex',
  'amara',
  'andre',
  'anna',
  'ben',
  'bianca',
  'carlos',
  'chen',
  'chloe',
  'daniel',
  'divya',
  'elena',
  'emil',
  'fatima',
  'felix',
  'freya',
  'gabriel',
  'grace',
  'hana',
  'hugo',
  'ines',
  'ivan',
  'jamal',
  'jana',
  'jonas',
  'julia',
  'kai',
  'kenji',
  'lara',
  'leon',
  'lucia',
  'malik',
  'maria',
  'mateo',
  'mei',
  'nadia',
  'noah',
  'omar',
  'petra',
  'priya',
  'quinn',
  'rafael',
  'rosa',
  'ruben',
  'sara',
  'sofia',
  'tariq',
  'thea',
  'tomas',
  'uma',
  'victor',
  'wei',
  'yara',
  'yusuf',
  'zoe',
  'zain',
];
const LAST_NAMES = [
  'adams',
  'alvarez',
  'bauer',
  'berg',
  'costa',
  'dubois',
  'eriksen',
  'fischer',
  'garcia',
  'hansen',
  'ibrahim',
  'ito',
  'jensen',
  'kaur',
  'kim',
  'kowalski',
  'larsen',
  'lopez',
  'martin',
  'meyer',
  'moreau',
  'nakamura',
  'nguyen',
  'novak',
  'okafor',
  'olsen',
  'patel',
  'petrov',
  'quispe',
  'rossi',
  'santos',
  'schmidt',
  'silva',
  'singh',
  'smith',
  'tanaka',
  'tran',
  'varga',
  'wagner',
  'weber',
  'wong',
  'yilmaz',
  'young',
  'zhang',
  'ziegler',
  'andersson',
  'bianchi',
  'cohen',
  'demir',
  'evans',
];
const VENDORS = [
  'Acme Staffing',
  'Globex Consulting',
  'Initech Services',
  'Umbrella Talent',
];

// Users that tests, the sign-in page and the docs rely on. `memberOf` holds
// role names resolved against the generated groups in resolveSpecialGroups.
const SPECIAL_USERS = [
  {
    name: 'ada.admin',
    displayName: 'Ada Admin',
    directory: 'corp',
    memberOf: ['platform-admins'],
  },
  {
    name: 'nina.nested',
    displayName: 'Nina Nested',
    directory: 'corp',
    memberOf: ['platform-admins-emea'],
  },
  {
    name: 'oscar.ordinary',
    displayName: 'Oscar Ordinary',
    directory: 'corp',
    memberOf: ['$firstSquad'],
  },
  {
    name: 'sam.sre',
    displayName: 'Sam Sre',
    directory: 'corp',
    memberOf: ['sre'],
  },
  {
    name: 'lonely.user',
    displayName: 'Lonely User',
    directory: 'corp',
    memberOf: [],
  },
  {
    name: 'dana.dup',
    displayName: 'Dana Dup',
    directory: 'corp',
    memberOf: ['$firstTeam'],
    email: SHARED_MAILBOX,
  },
  {
    name: 'dave.dup',
    displayName: 'Dave Dup',
    directory: 'contractors',
    memberOf: ['$secondSquad'],
    email: SHARED_MAILBOX,
  },
];

const ACRONYMS = new Set(['it', 'ux', 'sre', 'emea']);

function titleCase(name) {
  return name
    .split('-')
    .map(w => (ACRONYMS.has(w) ? w.toUpperCase() : titleCaseWord(w)))
    .join(' ');
}

function buildGroups(total) {
  const rest = total - 4;
  const departmentCount = Math.max(1, Math.round(rest / 6));
  const teamCount = Math.max(1, Math.round(rest / 3));
  const squadCount = rest - departmentCount - teamCount;

  const group = (name, type, parent, description, displayName) => ({
    name,
    type,
    parent,
    description,
    displayName: displayName ?? titleCase(name),
    email: `${name}@example.com`,
  });

  const departments = [];
  for (let i = 0; i < departmentCount; i++) {
    const [base, teams] = DEPARTMENTS[i % DEPARTMENTS.length];
    const round = Math.floor(i / DEPARTMENTS.length);
    const suffix = round ? `-${round + 1}` : '';
    const dept = group(
      `${base}${suffix}`,
      'department',
      'org',
      `The ${titleCase(base)} department.`,
    );
    departments.push({ ...dept, base, teams, suffix, teamIndex: 0 });
  }

  const teams = [];
  for (let i = 0; i < teamCount; i++) {
    const dept = departments[i % departmentCount];
    const k = dept.teamIndex++;
    const name =
      k < dept.teams.length
        ? `${dept.teams[k]}${dept.suffix}`
        : `${dept.name}-team-${k + 1}`;
    teams.push(
      group(name, 'team', dept.name, `A team in ${dept.displayName}.`),
    );
  }

  const squads = [];
  for (let i = 0; i < squadCount; i++) {
    const team = teams[i % teamCount];
    const k = Math.floor(i / teamCount);
    const word = k < SQUAD_WORDS.length ? SQUAD_WORDS[k] : `squad-${k + 1}`;
    squads.push(
      group(
        `${team.name}-${word}`,
        'squad',
        team.name,
        `A squad of ${team.displayName}.`,
      ),
    );
  }

  const root = departments[0].name;
  const org = group(
    'org',
    'organization',
    undefined,
    'The whole company.',
    'Demo Corp',
  );
  const admins = group(
    'platform-admins',
    'team',
    root,
    'May run destructive catalog operations.',
    'Platform Admins',
  );
  const adminsEmea = group(
    'platform-admins-emea',
    'team',
    'platform-admins',
    'Platform admins in EMEA; admins through nesting.',
    'Platform Admins EMEA',
  );
  const sre = group(
    'sre',
    'team',
    root,
    'Site reliability engineering.',
    'SRE',
  );

  return {
    all: [org, ...departments, admins, sre, ...teams, adminsEmea, ...squads],
    departments,
    teams,
    squads,
  };
}

function buildUsers(total, groups, rng) {
  const pick = list => list[Math.floor(rng() * list.length)];
  const roles = {
    $firstSquad: groups.squads[0]?.name ?? groups.teams[0].name,
    $secondSquad: (groups.squads[1] ?? groups.squads[0] ?? groups.teams[0])
      .name,
    $firstTeam: groups.teams[0].name,
  };

  const users = SPECIAL_USERS.map(u => ({
    name: u.name,
    displayName: u.displayName,
    directory: u.directory,
    email: u.email ?? `${u.name}@example.com`,
    memberOf: u.memberOf.map(m => roles[m] ?? m),
  }));

  const taken = new Map(users.map(u => [u.name, 1]));
  const primaryPool = () => {
    const r = rng();
    if (r < 0.7 && groups.squads.length) return groups.squads;
    if (r < 0.92) return groups.teams;
    return groups.departments;
  };

  for (let i = users.length; i < total; i++) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const base = `${first}.${last}`;
    const seen = taken.get(base) ?? 0;
    taken.set(base, seen + 1);
    const name = seen ? `${base}${seen + 1}` : base;
    const directory = rng() < 0.2 ? 'contractors' : 'corp';

    const memberOf = [pick(primaryPool()).name];
    if (rng() < 0.12) {
      const extra = pick(
        rng() < 0.5
          ? groups.teams
          : groups.squads.length
          ? groups.squads
          : groups.teams,
      ).name;
      if (!memberOf.includes(extra)) memberOf.push(extra);
    }
    if (rng() < 0.01) memberOf.push('sre');

    users.push({
      name,
      displayName: `${titleCaseWord(first)} ${titleCaseWord(last)}`,
      directory,
      email:
        directory === 'corp' ? `${name}@example.com` : `${name}@${CONTRACTORS}`,
      memberOf,
    });
  }

  let employeeNumber = 0;
  let contractNumber = 0;
  for (const user of users) {
    if (user.directory === 'corp') {
      user.annotations = {
        [`${CORP}/employee-id`]: `E${String(++employeeNumber).padStart(
          6,
          '0',
        )}`,
      };
    } else {
      user.annotations = {
        [`${CONTRACTORS}/contract-id`]: `C${String(++contractNumber).padStart(
          6,
          '0',
        )}`,
        [`${CONTRACTORS}/vendor`]: pick(VENDORS),
      };
    }
  }
  return users;
}

function titleCaseWord(w) {
  return w[0].toUpperCase() + w.slice(1);
}

// --- YAML -------------------------------------------------------------------

function scalar(value) {
  const text = String(value);
  const plain =
    /^[A-Za-z][A-Za-z0-9 ._@/()-]*$/.test(text) &&
    !/^(true|false|yes|no|on|off|null|y|n)$/i.test(text) &&
    !/ $|: | #/.test(text);
  return plain ? text : JSON.stringify(text);
}

function groupYaml(g) {
  return [
    '---',
    'apiVersion: backstage.io/v1alpha1',
    'kind: Group',
    'metadata:',
    `  name: ${g.name}`,
    `  description: ${scalar(g.description)}`,
    'spec:',
    `  type: ${g.type}`,
    '  profile:',
    `    displayName: ${scalar(g.displayName)}`,
    `    email: ${scalar(g.email)}`,
    ...(g.parent ? [`  parent: ${g.parent}`] : []),
    '  children: []',
    '',
  ].join('\n');
}

function userYaml(u) {
  return [
    '---',
    'apiVersion: backstage.io/v1alpha1',
    'kind: User',
    'metadata:',
    `  name: ${u.name}`,
    '  annotations:',
    ...Object.entries(u.annotations).map(([k, v]) => `    ${k}: ${scalar(v)}`),
    'spec:',
    '  profile:',
    `    displayName: ${scalar(u.displayName)}`,
    `    email: ${scalar(u.email)}`,
    `  memberOf: [${u.memberOf.join(', ')}]`,
    '',
  ].join('\n');
}

// --- writing ------------------------------------------------------------------

async function writeEntities(outDir, stem, items, toYaml, header) {
  const chunks = Math.max(1, Math.ceil(items.length / FILE_LIMIT));
  const width = Math.max(2, String(chunks).length);
  // Even files rather than full ones and a small remainder.
  const perFile = Math.ceil(items.length / chunks);
  const written = [];
  for (let c = 0; c < chunks; c++) {
    const file =
      chunks === 1
        ? `${stem}.yaml`
        : `${stem}-${String(c + 1).padStart(width, '0')}.yaml`;
    const slice = items.slice(c * perFile, (c + 1) * perFile);
    const stream = createWriteStream(join(outDir, file));
    let buffer = header;
    for (const item of slice) {
      buffer += toYaml(item);
      if (buffer.length > 65536) {
        if (!stream.write(buffer)) await once(stream, 'drain');
        buffer = '';
      }
    }
    stream.end(buffer);
    await once(stream, 'finish');
    written.push({ file, count: slice.length });
  }
  return written;
}

function locationName(outDir) {
  const name = basename(outDir)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return (name || 'generated-org').slice(0, 63);
}

function removePreviousOutput(outDir) {
  for (const file of readdirSync(outDir)) {
    if (
      /^(all|groups(-\d+)?|directory-(corp|contractors)(-\d+)?)\.yaml$/.test(
        file,
      )
    ) {
      rmSync(join(outDir, file));
    }
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const rng = mulberry32(hashSeed(args.seed));
  const groups = buildGroups(args.groups);
  const users = buildUsers(args.users, groups, rng);

  mkdirSync(args.out, { recursive: true });
  removePreviousOutput(args.out);

  const header = what =>
    `# ${what}\n# Generated by scripts/generate-org.mjs --users ${args.users} --groups ${args.groups} --seed ${args.seed}\n# Do not edit by hand: change the generator and run it again.\n`;

  const written = [
    ...(await writeEntities(
      args.out,
      'groups',
      groups.all,
      groupYaml,
      header('Groups of Demo Corp: org -> departments -> teams -> squads.'),
    )),
    ...(await writeEntities(
      args.out,
      'directory-corp',
      users.filter(u => u.directory === 'corp'),
      userYaml,
      header(
        'Employees, as exported from the corporate directory (HR system ids in annotations).',
      ),
    )),
    ...(await writeEntities(
      args.out,
      'directory-contractors',
      users.filter(u => u.directory === 'contractors'),
      userYaml,
      header(
        'Contractors, as exported from the contractor directory (vendor and contract ids in annotations).',
      ),
    )),
  ];

  const index = [
    header('Index: one catalog location that ingests every file below.') +
      'apiVersion: backstage.io/v1alpha1',
    'kind: Location',
    'metadata:',
    `  name: ${locationName(args.out)}`,
    `  description: ${scalar(
      `Generated organisation, ${args.users} users and ${args.groups} groups`,
    )}`,
    'spec:',
    '  targets:',
    ...written.map(w => `    - ./${w.file}`),
    '',
  ].join('\n');
  const indexStream = createWriteStream(join(args.out, 'all.yaml'));
  indexStream.end(index);
  await once(indexStream, 'finish');

  const rel =
    process.cwd() === REPO_ROOT || args.out.startsWith(REPO_ROOT)
      ? args.out.slice(REPO_ROOT.length + 1)
      : args.out;
  process.stdout.write(
    `Wrote ${args.users} users and ${args.groups} groups to ${
      rel || args.out
    } (seed ${args.seed}):\n`,
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
