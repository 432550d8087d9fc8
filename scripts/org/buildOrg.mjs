// The demo organisation as data: groups org -> departments -> teams -> squads,
// the named users that tests, the demo sign-in page and the docs rely on
// (examples/README.md: keep them stable), and generated people from two
// directories. A pure function of its arguments: a seeded PRNG (mulberry32)
// and no clocks. scripts/org/writeOrg.mjs writes it as catalog YAML;
// scripts/generate-org.mjs is the command; the benchmarks in bench/ read the
// same data from here.

import {
  DEPARTMENTS,
  FIRST_NAMES,
  LAST_NAMES,
  SQUAD_WORDS,
  VENDORS,
} from './names.mjs';

/**
 * @typedef {object} OrgGroup
 * @property {string} name
 * @property {'organization' | 'department' | 'team' | 'squad'} type
 * @property {string | undefined} parent
 * @property {string} description
 * @property {string} displayName
 * @property {string} email
 */

/**
 * @typedef {object} OrgUser
 * @property {string} name
 * @property {string} displayName
 * @property {'corp' | 'contractors'} directory the source that exports it
 * @property {string} email
 * @property {string[]} memberOf group names
 * @property {Record<string, string>} annotations the directory's ids
 */

/**
 * @typedef {object} OrgArguments
 * @property {number} users
 * @property {number} groups
 * @property {string} seed
 */

/** The demo app's organisation: examples/demo-org. */
export const ORG_DEFAULTS = { users: 300, groups: 40, seed: 'demo-corp' };

const CORP = 'demo-corp.example.com';
const CONTRACTORS = 'contractors.example.com';
const SHARED_MAILBOX = 'shared.mailbox@example.com';

// --- deterministic randomness -------------------------------------------------

/**
 * FNV-1a, so that any string (or number) is a valid seed.
 * @param {string | number} text
 */
export function hashSeed(text) {
  let h = 0x811c9dc5;
  for (const ch of String(text)) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * mulberry32: the same numbers in [0, 1) for the same seed, on every run.
 * @param {number} seed
 * @returns {() => number}
 */
export function seededRandom(seed) {
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

// org, platform-admins, platform-admins-emea, sre + one department, team, squad
export const MIN_GROUPS = 7;

// Users that tests, the sign-in page and the docs rely on. `memberOf` holds
// group names, or roles ($firstSquad, ...) that buildUsers resolves against
// the generated groups.
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

/** Fewer users than this leaves out some of the named ones. */
export const MIN_USERS = SPECIAL_USERS.length;

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

/**
 * The organisation of these arguments: its groups in the order they are
 * written (org, departments, admins, sre, teams, nested admins, squads) and
 * its users, the named ones first.
 *
 * @param {OrgArguments} args
 * @returns {{ groups: OrgGroup[], users: OrgUser[] }}
 */
export function buildOrg(args) {
  if (args.users < MIN_USERS) {
    throw new RangeError(`users must be at least ${MIN_USERS}`);
  }
  if (args.groups < MIN_GROUPS) {
    throw new RangeError(`groups must be at least ${MIN_GROUPS}`);
  }
  const rng = seededRandom(hashSeed(args.seed));
  const groups = buildGroups(args.groups);
  return { groups: groups.all, users: buildUsers(args.users, groups, rng) };
}
