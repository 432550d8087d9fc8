/*
 * Benchmark of the identity permission policy against the allow-all policy,
 * over a generated organisation of 20,000 users and 2,000 nested groups.
 *
 *   cd plugins/permission-backend-module-identity-policy && yarn bench:policy
 *
 * Not a test: it prints figures. Everything runs on this machine: two
 * backends on loopback ports, and a load generator in a worker thread with a
 * fixed duration.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  AuthService,
  coreServices,
  createBackendModule,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { parseEntityYaml } from '@backstage/plugin-catalog-node';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';
import allowAllModule from '@backstage/plugin-permission-backend-module-allow-all-policy';
import {
  PermissionPolicy,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  MembershipResolver,
  membershipResolverServiceRef,
} from '@identity-governance/plugin-identity-node';
import identityPolicyModule, {
  IdentityPermissionPolicy,
  readIdentityPolicyConfig,
} from '@identity-governance/plugin-permission-backend-module-identity-policy';
import {
  createTestSignInModule,
  TEST_USER_HEADER,
} from '../../plugins/permission-backend-module-identity-policy/src/__testUtils__/testSignInModule';
import { fileRootLoggerFactory } from './fileRootLogger';
import { inMemoryCatalogFactory } from './inMemoryCatalog';

// The package exports only the module; this is its policy class, unchanged.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {
  AllowAllPermissionPolicy,
} = require('@backstage/plugin-permission-backend-module-allow-all-policy/dist/policy.cjs.js');

const ROOT = resolve(__dirname, '../..');
const USERS = 20000;
const GROUPS = 2000;
const ORG_DIR = join(ROOT, 'bench/data/org-20k');
const RESULTS = join(ROOT, 'bench/results');
const SAMPLE_USERS = 2000;
const IN_PROCESS_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 8);
const HTTP_CONCURRENCY = 16;
const SERVICE_TOKEN = 'bench-reader-token-0123456789';
/**
 * `memory` (default): the policy reads an in-memory catalog service holding
 * the generated entities, with the annotations the catalog would add.
 * `real`: the real catalog backend ingests the files first (about 9 minutes
 * for this organisation on 2 cores with SQLite).
 */
const CATALOG = process.env.BENCH_CATALOG === 'real' ? 'real' : 'memory';
/** Calls between two yields to the event loop in the in-process loop. */
const YIELD_EVERY = 64;

const identityPolicyConfig = {
  adminGroups: ['group:default/platform-admins'],
  rules: [
    {
      permission: 'catalog.entity.refresh',
      allowGroups: ['group:default/sre'],
    },
  ],
  membership: { maxDepth: 10, cacheTtlSeconds: 5 },
  trustedOrigins: [`file:${ORG_DIR}/*`],
};

interface Captured {
  resolver: MembershipResolver;
  userInfo: UserInfoService;
  auth: AuthService;
  logger: LoggerService;
}

function captureModule(into: Partial<Captured>) {
  return createBackendModule({
    pluginId: 'permission',
    moduleId: 'bench-capture',
    register(reg) {
      reg.registerInit({
        deps: {
          resolver: membershipResolverServiceRef,
          userInfo: coreServices.userInfo,
          auth: coreServices.auth,
          logger: coreServices.logger,
        },
        async init(deps) {
          Object.assign(into, deps);
        },
      });
    },
  });
}

function baseConfig(extra: object) {
  return mockServices.rootConfig.factory({
    data: {
      app: { baseUrl: 'http://localhost:3000' },
      permission: { enabled: true },
      auth: { providers: { test: {} } },
      backend: {
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: SERVICE_TOKEN, subject: 'bench' },
            },
          ],
        },
      },
      ...extra,
    },
  });
}

const realAuth = [
  authPlugin,
  authServiceFactory,
  httpAuthServiceFactory,
  userInfoServiceFactory,
  createTestSignInModule(),
];

function countKinds() {
  let users = 0;
  let groups = 0;
  for (const file of readdirSync(ORG_DIR)) {
    const text = readFileSync(join(ORG_DIR, file), 'utf8');
    users += text.match(/^kind: User$/gm)?.length ?? 0;
    groups += text.match(/^kind: Group$/gm)?.length ?? 0;
  }
  return { users, groups };
}

function loadOrgEntities(): Entity[] {
  const origin = `file:${join(ORG_DIR, 'all.yaml')}`;
  const entities: Entity[] = [];
  for (const file of readdirSync(ORG_DIR)) {
    const target = join(ORG_DIR, file);
    for (const result of parseEntityYaml(readFileSync(target), {
      type: 'file',
      target,
    })) {
      if (result.type === 'entity' && result.entity.kind !== 'Location') {
        const entity = result.entity;
        entity.metadata.namespace ??= 'default';
        entity.metadata.annotations = {
          ...entity.metadata.annotations,
          'backstage.io/managed-by-location': `file:${target}`,
          'backstage.io/managed-by-origin-location': origin,
        };
        entities.push(entity);
      }
    }
  }
  return entities;
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function summarize(latenciesMs: number[], seconds: number, perCall = 1) {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    calls: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    perSecond: sorted.length / seconds,
    decisionsPerSecond: (sorted.length * perCall) / seconds,
  };
}

const fmt = (ms: number) =>
  ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`;

async function main() {
  mkdirSync(RESULTS, { recursive: true });
  if (!existsSync(join(ORG_DIR, 'all.yaml'))) {
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'scripts/generate-org.mjs'),
        '--users',
        String(USERS),
        '--groups',
        String(GROUPS),
        '--out',
        ORG_DIR,
      ],
      { stdio: 'inherit' },
    );
  }
  const expected = countKinds();

  console.log(
    `Node ${process.version}, ${require('node:os').cpus().length} CPUs; org: ${
      expected.users
    } users, ${expected.groups} groups (${ORG_DIR})`,
  );

  // Backend A: catalog with the organisation, permission backend, identity policy.
  const captured: Partial<Captured> = {};
  const started = Date.now();
  const catalogFeatures =
    CATALOG === 'real'
      ? [catalogPlugin]
      : [inMemoryCatalogFactory(loadOrgEntities())];
  const identityBackend = await startTestBackend({
    features: [
      ...catalogFeatures,
      permissionPlugin,
      identityPolicyModule,
      captureModule(captured),
      fileRootLoggerFactory(join(RESULTS, 'identity-backend.log')),
      ...realAuth,
      baseConfig({
        catalog: {
          locations: [{ type: 'file', target: join(ORG_DIR, 'all.yaml') }],
          rules: [{ allow: ['User', 'Group', 'Location'] }],
          // Ingest once, then keep the catalog quiet while measuring.
          processingInterval: { hours: 24 },
        },
        identityPolicy: identityPolicyConfig,
      }),
    ],
  });
  // Backend B: permission backend with the allow-all policy.
  const allowAllBackend = await startTestBackend({
    features: [
      permissionPlugin,
      allowAllModule,
      fileRootLoggerFactory(join(RESULTS, 'allow-all-backend.log')),
      ...realAuth,
      baseConfig({}),
    ],
  });
  const urlOf = (b: typeof identityBackend) =>
    `http://127.0.0.1:${(b.server.address() as { port: number }).port}`;
  const identityUrl = urlOf(identityBackend);
  const allowAllUrl = urlOf(allowAllBackend);

  let all: string[];
  if (CATALOG === 'real') {
    const get = async (path: string) => {
      const res = await fetch(`${identityUrl}${path}`, {
        headers: { authorization: `Bearer ${SERVICE_TOKEN}` },
      });
      return res.json();
    };
    for (;;) {
      const users = await get(
        '/api/catalog/entities/by-query?filter=kind=user&limit=1&fields=metadata.name',
      );
      const groups = await get(
        '/api/catalog/entities/by-query?filter=kind=group&limit=1&fields=metadata.name',
      );
      process.stdout.write(
        `\ringesting: ${users.totalItems}/${expected.users} users, ${groups.totalItems}/${expected.groups} groups`,
      );
      if (
        users.totalItems >= expected.users &&
        groups.totalItems >= expected.groups
      ) {
        break;
      }
      await new Promise(r => setTimeout(r, 2000));
    }
    console.log(` (${Math.round((Date.now() - started) / 1000)} s)`);
    all = [];
    let cursor: string | undefined;
    do {
      const page = await get(
        `/api/catalog/entities/by-query?${
          cursor
            ? `cursor=${encodeURIComponent(cursor)}`
            : 'filter=kind=user&fields=metadata.name&limit=5000'
        }`,
      );
      all.push(...page.items.map((e: Entity) => e.metadata.name));
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
  } else {
    all = loadOrgEntities()
      .filter(e => e.kind === 'User')
      .map(e => e.metadata.name);
  }
  console.log(
    `catalog: ${
      CATALOG === 'real'
        ? 'the real catalog backend (SQLite), in the same process'
        : 'IN MEMORY (the generated entities in indexed maps, serving the two reads the resolver makes); BENCH_CATALOG=real for the real catalog backend'
    }`,
  );

  // A sample of users spread over the whole organisation, admins included.
  const step = Math.max(1, Math.floor(all.length / SAMPLE_USERS));
  const sample = [
    'ada.admin',
    'nina.nested',
    ...all.filter((_, i) => i % step === 0),
  ].slice(0, SAMPLE_USERS);

  async function tokensFor(baseUrl: string) {
    const tokens: string[] = [];
    for (const name of sample) {
      const res = await fetch(`${baseUrl}/api/auth/test/refresh`, {
        headers: {
          [TEST_USER_HEADER]: `user:default/${name}`,
          'x-requested-with': 'XMLHttpRequest',
        },
      });
      tokens.push((await res.json()).backstageIdentity.token);
    }
    return tokens;
  }
  const identityTokens = await tokensFor(identityUrl);
  const allowAllTokens = await tokensFor(allowAllUrl);

  // ---- in process ---------------------------------------------------------
  const { resolver, userInfo, auth, logger } = captured as Captured;
  const identityPolicy = new IdentityPermissionPolicy({
    config: readIdentityPolicyConfig(
      mockServices.rootConfig({
        data: { identityPolicy: identityPolicyConfig },
      }),
    ),
    resolver,
    logger,
  });
  const allowAll: PermissionPolicy = new AllowAllPermissionPolicy();
  const users: PolicyQueryUser[] = [];
  for (const token of identityTokens) {
    const credentials = await auth.authenticate(token);
    users.push({ credentials, info: await userInfo.getUserInfo(credentials) });
  }

  const decisions = new Map<string, number>();
  async function measure(
    policy: PermissionPolicy,
    permission: any,
    count = false,
  ) {
    // Warm: every sampled user once (fills the membership cache).
    await Promise.all(users.map(u => policy.handle({ permission }, u)));
    const latencies: number[] = [];
    const end = performance.now() + IN_PROCESS_SECONDS * 1000;
    const t0 = performance.now();
    let i = 0;
    while (performance.now() < end) {
      // A server yields to I/O between requests; so does this loop, for both
      // policies alike, so background cache refreshes can complete.
      if (i % YIELD_EVERY === 0) {
        await new Promise(r => setImmediate(r));
      }
      const user = users[i++ % users.length];
      const s = performance.now();
      const d = await policy.handle({ permission }, user);
      latencies.push(performance.now() - s);
      if (count) {
        decisions.set(d.result, (decisions.get(d.result) ?? 0) + 1);
      }
    }
    return summarize(latencies, (performance.now() - t0) / 1000);
  }

  const rows: string[][] = [];
  for (const [label, permission] of [
    ['catalog.entity.delete (guarded)', catalogEntityDeletePermission],
    ['catalog.entity.read (unguarded)', catalogEntityReadPermission],
  ] as const) {
    const a = await measure(allowAll, permission);
    const b = await measure(identityPolicy, permission, true);
    rows.push([
      label,
      'allow-all',
      fmt(a.p50),
      fmt(a.p99),
      a.perSecond.toFixed(0),
      '',
    ]);
    rows.push([
      label,
      'identity',
      fmt(b.p50),
      fmt(b.p99),
      b.perSecond.toFixed(0),
      `${(a.perSecond / b.perSecond).toFixed(2)}x slower`,
    ]);
  }
  console.log(
    `\nIn process: policy.handle(), one caller, ${IN_PROCESS_SECONDS} s each, ${users.length} users rotating, after one warm-up pass; yields to the event loop every ${YIELD_EVERY} calls`,
  );
  printTable(
    ['permission', 'policy', 'p50', 'p99', 'decisions/s', 'vs allow-all'],
    rows,
  );
  console.log(
    `(identity decisions: ${[...decisions.entries()]
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );
  console.log(
    'Community RBAC (@backstage-community/plugin-rbac-backend): not measured, see README.',
  );

  if (HTTP_SECONDS <= 0) {
    process.exit(0);
  }

  // ---- over HTTP ----------------------------------------------------------
  const sampleRefs = sample.map(n => `user:default/${n}`);
  function bodies(batch: number) {
    return Array.from({ length: 50 }, (_, k) =>
      JSON.stringify({
        items: Array.from({ length: batch }, (_, j) => ({
          id: String(j),
          permission: {
            type: 'resource',
            name: 'catalog.entity.delete',
            attributes: { action: 'delete' },
            resourceType: 'catalog-entity',
          },
          resourceRef: sampleRefs[(k * batch + j) % sampleRefs.length],
        })),
      }),
    );
  }
  function load(url: string, tokens: string[], batch: number) {
    return new Promise<any>((resolvePromise, reject) => {
      const worker = new Worker(join(__dirname, 'httpLoad.worker.mjs'), {
        workerData: {
          url: `${url}/api/permission/authorize`,
          bodies: bodies(batch),
          tokens,
          concurrency: HTTP_CONCURRENCY,
          durationMs: HTTP_SECONDS * 1000,
          warmupMs: 2000,
        },
      });
      worker.once('message', resolvePromise);
      worker.once('error', reject);
    });
  }
  const httpRows: string[][] = [];
  for (const batch of [1, 100]) {
    const a = await load(allowAllUrl, allowAllTokens, batch);
    const b = await load(identityUrl, identityTokens, batch);
    const sa = summarize(a.latencies, a.seconds, batch);
    const sb = summarize(b.latencies, b.seconds, batch);
    httpRows.push([
      String(batch),
      'allow-all',
      fmt(sa.p50),
      fmt(sa.p99),
      sa.perSecond.toFixed(0),
      sa.decisionsPerSecond.toFixed(0),
      String(a.errors),
      '',
    ]);
    httpRows.push([
      String(batch),
      'identity',
      fmt(sb.p50),
      fmt(sb.p99),
      sb.perSecond.toFixed(0),
      sb.decisionsPerSecond.toFixed(0),
      String(b.errors),
      `${(sa.perSecond / sb.perSecond).toFixed(2)}x (goal <= 1.20x)`,
    ]);
  }
  console.log(
    `\nOver HTTP: POST /api/permission/authorize, catalog.entity.delete with a resourceRef, ${HTTP_CONCURRENCY} concurrent clients in a worker thread, ${HTTP_SECONDS} s each after 2 s warm-up, ${sample.length} users' tokens rotating`,
  );
  printTable(
    [
      'batch',
      'policy',
      'p50',
      'p99',
      'requests/s',
      'decisions/s',
      'errors',
      'throughput vs allow-all',
    ],
    httpRows,
  );

  await identityBackend.stop();
  await allowAllBackend.stop();
}

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach(r => console.log(line(r)));
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
