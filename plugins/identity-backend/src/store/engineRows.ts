import {
  ParsedGroup,
  ParsedUser,
} from '@identity-governance/plugin-identity-node';
import { IdentityUncountedReason } from '@identity-governance/plugin-identity-common';
import { Knex } from 'knex';
import { UncountedRow } from './IdentityStore';

/**
 * The index's rows for what the membership engine reads and returns beyond
 * the closure: each entity's declarations, the memberships that do not
 * count, and the settings the index was resolved with.
 */

export const USERS = 'identity_users';
export const GROUPS = 'identity_groups';
export const CLOSURE = 'identity_user_groups';
export const UNCOUNTED = 'identity_user_uncounted';
export const STATE = 'identity_state';
const FINGERPRINT_KEY = 'engine_fingerprint';

/** Values per `IN (...)` list. */
const IN_CHUNK = 500;
/** Rows per insert: SQLite refuses compound selects of more than 500. */
const INSERT_CHUNK = 400;

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

function parseJson<T>(value: string | null | undefined, fallback: T): T {
  if (!value) {
    return fallback;
  }
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

export async function readGroupDeclarations(
  db: Knex | Knex.Transaction,
): Promise<Map<string, ParsedGroup>> {
  const rows = await db(GROUPS).select('entity_ref', 'declarations');
  const result = new Map<string, ParsedGroup>();
  for (const row of rows) {
    result.set(
      row.entity_ref,
      parseJson<ParsedGroup>(row.declarations, {
        entityRef: row.entity_ref,
        parents: [],
        children: [],
        members: [],
      }),
    );
  }
  return result;
}

export async function readUserDeclarations(
  db: Knex | Knex.Transaction,
  userRefs: string[] | 'all',
): Promise<Map<string, ParsedUser>> {
  const result = new Map<string, ParsedUser>();
  const add = (rows: Array<{ entity_ref: string; declarations: string }>) => {
    for (const row of rows) {
      result.set(
        row.entity_ref,
        parseJson<ParsedUser>(row.declarations, { memberOf: [] }),
      );
    }
  };
  if (userRefs === 'all') {
    add(await db(USERS).select('entity_ref', 'declarations'));
  } else {
    for (const batch of chunk(userRefs, IN_CHUNK)) {
      add(
        await db(USERS)
          .select('entity_ref', 'declarations')
          .whereIn('entity_ref', batch),
      );
    }
  }
  return result;
}

export async function readUsersTouching(
  db: Knex | Knex.Transaction,
  groupRefs: string[],
): Promise<string[]> {
  const users = new Set<string>();
  for (const batch of chunk(groupRefs, IN_CHUNK)) {
    for (const table of [CLOSURE, UNCOUNTED]) {
      const rows = await db(table)
        .distinct('user_ref')
        .whereIn('group_ref', batch);
      rows.forEach(r => users.add(r.user_ref));
    }
  }
  return [...users];
}

/**
 * The reason of the rows `replaceHeldMemberships` owns: memberships a SCIM
 * IdP declared in a group it may not take. The engine never finds them (the
 * catalog never sees them), so resolving users again leaves them be.
 */
const HELD = 'conflict';

function toUncountedInsert(r: UncountedRow) {
  return {
    user_ref: r.userRef,
    group_ref: r.groupRef,
    reason: r.reason,
    path: JSON.stringify(r.path),
    source: JSON.stringify({
      declaredBy: r.declaredBy,
      origin: r.origin,
      directory: r.directory,
      reaches: r.reaches,
    }),
  };
}

/** Sets these users' flag from the rows they have, whatever their reason. */
async function recomputeUncountedFlag(
  tx: Knex.Transaction,
  userRefs: string[],
): Promise<void> {
  for (const batch of chunk(userRefs, IN_CHUNK)) {
    const flagged = new Set(
      (await tx(UNCOUNTED).distinct('user_ref').whereIn('user_ref', batch)).map(
        r => r.user_ref as string,
      ),
    );
    for (const [refs, value] of [
      [batch.filter(r => flagged.has(r)), 1],
      [batch.filter(r => !flagged.has(r)), 0],
    ] as const) {
      if (refs.length) {
        await tx(USERS)
          .whereIn('entity_ref', refs)
          .whereNot('uncounted_memberships', value)
          .update({ uncounted_memberships: value });
      }
    }
  }
}

export async function replaceUncounted(
  tx: Knex.Transaction,
  userRefs: string[],
  rows: UncountedRow[],
): Promise<void> {
  for (const batch of chunk(userRefs, IN_CHUNK)) {
    await tx(UNCOUNTED)
      .whereIn('user_ref', batch)
      .whereNot('reason', HELD)
      .delete();
  }
  for (const batch of chunk(rows, INSERT_CHUNK)) {
    await tx(UNCOUNTED).insert(batch.map(toUncountedInsert));
  }
  await recomputeUncountedFlag(tx, userRefs);
}

function heldKey(r: {
  userRef: string;
  groupRef: string;
  declaredBy?: string;
}): string {
  return JSON.stringify([r.userRef, r.groupRef, r.declaredBy]);
}

/**
 * Replaces every held membership (reason `conflict`) with these, and the
 * flag of the users that gain or lose one. Answers whether anything changed.
 */
export async function replaceHeldMemberships(
  tx: Knex.Transaction,
  rows: UncountedRow[],
): Promise<boolean> {
  const current = await tx(UNCOUNTED)
    .select('user_ref', 'group_ref', 'source')
    .where('reason', HELD);
  const before = new Map<string, string>(
    current.map(row => [
      heldKey({
        userRef: row.user_ref,
        groupRef: row.group_ref,
        declaredBy: parseJson<{ declaredBy?: string }>(row.source, {})
          .declaredBy,
      }),
      row.user_ref,
    ]),
  );
  const after = new Set(rows.map(heldKey));
  if (before.size === after.size && [...after].every(k => before.has(k))) {
    return false;
  }
  await tx(UNCOUNTED).where('reason', HELD).delete();
  for (const batch of chunk(rows, INSERT_CHUNK)) {
    await tx(UNCOUNTED).insert(batch.map(toUncountedInsert));
  }
  await recomputeUncountedFlag(tx, [
    ...new Set([...before.values(), ...rows.map(r => r.userRef)]),
  ]);
  return true;
}

export async function getUncounted(
  db: Knex,
  userRef: string,
): Promise<UncountedRow[]> {
  const rows = await db(UNCOUNTED)
    .select('user_ref', 'group_ref', 'reason', 'path', 'source')
    .where('user_ref', userRef)
    .orderBy(['group_ref', 'reason', 'path']);
  return rows.map(row => {
    const source = parseJson<{
      declaredBy?: string;
      origin?: string;
      directory?: string;
      reaches?: string[];
    }>(row.source, {});
    return {
      userRef: row.user_ref,
      groupRef: row.group_ref,
      reason: row.reason as IdentityUncountedReason,
      path: parseJson<string[]>(row.path, []),
      declaredBy: source.declaredBy ?? '',
      origin: source.origin,
      directory: source.directory,
      ...(source.reaches?.length ? { reaches: source.reaches } : {}),
    };
  });
}

export async function readEngineFingerprint(
  db: Knex | Knex.Transaction,
): Promise<string | undefined> {
  const row = await db(STATE).where('key', FINGERPRINT_KEY).first('value');
  return row?.value;
}

export async function setEngineFingerprint(
  tx: Knex.Transaction,
  fingerprint: string,
): Promise<void> {
  await tx(STATE)
    .insert({ key: FINGERPRINT_KEY, value: fingerprint })
    .onConflict('key')
    .merge();
}
