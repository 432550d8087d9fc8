/*
 * The organisation the SCIM benchmarks provision (bench/scim, bench/capacity):
 * deterministic users and groups, the SCIM requests that create them, and
 * the same organisation as catalog YAML for the file-ingestion baseline.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { FILE_LIMIT } from '../../scripts/org/writeOrg.mjs';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Groups with more than one parent level: each group has up to 10 children. */
export const FAN_OUT = 10;

export interface OrgUser {
  userName: string;
  /** The catalog entity name the scim module derives from userName. */
  name: string;
  displayName: string;
  email: string;
  groups: number[];
}

export interface OrgGroup {
  displayName: string;
  /** The catalog entity name the scim module derives from displayName. */
  name: string;
  depth: number;
  children: number[];
  members: number[];
}

export interface Org {
  users: OrgUser[];
  groups: OrgGroup[];
}

/**
 * A deterministic organisation: every user in two groups (one when there is
 * a single group), groups in a tree with up to FAN_OUT children each.
 */
export function makeOrg(userCount: number, groupCount: number): Org {
  const uw = String(userCount).length;
  const gw = String(groupCount).length;
  const groups: OrgGroup[] = Array.from({ length: groupCount }, (_, k) => {
    const n = String(k + 1).padStart(gw, '0');
    return {
      displayName: `Bench Group ${n}`,
      name: `bench_group_${n}`,
      depth: 0,
      children: [],
      members: [],
    };
  });
  for (let k = 1; k < groupCount; k++) {
    const parent = Math.floor((k - 1) / FAN_OUT);
    groups[parent].children.push(k);
    groups[k].depth = groups[parent].depth + 1;
  }
  const users: OrgUser[] = Array.from({ length: userCount }, (_, i) => {
    const n = String(i + 1).padStart(uw, '0');
    const first = i % groupCount;
    let second = (i * 37 + 11) % groupCount;
    if (second === first) second = (first + 1) % groupCount;
    const memberOf = first === second ? [first] : [first, second];
    memberOf.forEach(g => groups[g].members.push(i));
    return {
      userName: `bench.user.${n}@scim-bench.example.com`,
      name: `bench.user.${n}`,
      displayName: `Bench User ${n}`,
      email: `bench.user.${n}@scim-bench.example.com`,
      groups: memberOf,
    };
  });
  return { users, groups };
}

export const userRef = (u: OrgUser) => `user:default/${u.name}`;
export const groupRef = (g: OrgGroup) => `group:default/${g.name}`;

export function memberships(org: Org) {
  return org.users.reduce((n, u) => n + u.groups.length, 0);
}

export function levels(org: Org) {
  return Math.max(...org.groups.map(g => g.depth)) + 1;
}

/** Indices spread evenly over `total`, `count` of them, starting at offset. */
export function spread(total: number, count: number, offset = 0) {
  const n = Math.min(total, count);
  const step = total / n;
  return Array.from(
    { length: n },
    (_, i) => (Math.floor(i * step) + offset) % total,
  );
}

/**
 * The same entities the scim module emits, without its annotations, as
 * catalog YAML files in `dir` (emptied first), with an `all.yaml` Location
 * that names them by relative targets. Returns all.yaml's path.
 */
export function writeOrgYaml(org: Org, dir: string) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const entities: Entity[] = [
    ...org.users.map(u => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: u.name, title: u.displayName },
      spec: {
        profile: { displayName: u.displayName, email: u.email },
        memberOf: u.groups.map(g => groupRef(org.groups[g])).sort(),
      },
    })),
    ...org.groups.map(g => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: g.name, title: g.displayName },
      spec: {
        type: 'team',
        profile: { displayName: g.displayName },
        children: g.children.map(c => groupRef(org.groups[c])).sort(),
        members: g.members.map(m => userRef(org.users[m])).sort(),
      },
    })),
  ];
  const targets: string[] = [];
  // Files of at most as many entities as the demo generator writes.
  for (let i = 0; i < entities.length; i += FILE_LIMIT) {
    const file = `org-${String(targets.length + 1).padStart(3, '0')}.yaml`;
    // YAML is a superset of JSON: one JSON document per entity.
    writeFileSync(
      join(dir, file),
      entities
        .slice(i, i + FILE_LIMIT)
        .map(e => `---\n${JSON.stringify(e)}\n`)
        .join(''),
    );
    targets.push(`./${file}`);
  }
  const all = join(dir, 'all.yaml');
  writeFileSync(
    all,
    `---\n${JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: { name: 'scim-bench-org' },
      spec: { targets },
    })}\n`,
  );
  return all;
}
