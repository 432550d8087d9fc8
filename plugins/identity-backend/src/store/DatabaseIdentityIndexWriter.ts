import { Knex } from 'knex';
import {
  CLOSURE,
  GROUPS,
  readEngineFingerprint,
  readGroupDeclarations,
  readUserDeclarations,
  readUsersTouching,
  replaceHeldMemberships,
  replaceUncounted,
  setEngineFingerprint,
  STATE,
  UNCOUNTED,
  USERS,
} from './engineRows';
import { toGroupRow } from './groupRows';
import {
  ClosureRow,
  IdentityIndexWriter,
  IndexedGroupWithDeclarations,
  IndexedUser,
  IndexVersions,
  UncountedRow,
} from './IdentityStore';
import {
  chunk,
  DETAILS,
  DIRECT,
  FAILED_SINCE_KEY,
  IN_CHUNK,
  INDEXED_AT_KEY,
  INSERT_CHUNK,
  LAST_FAILURE_KEY,
  SCAN_MS_KEY,
} from './tables';
import { toUserRow } from './userRows';

/**
 * The indexer's changes, inside one transaction; `changed` tells the store
 * whether the summary must be counted again.
 */
export class DatabaseIdentityIndexWriter implements IdentityIndexWriter {
  /** Whether a write changed what the summary counts. */
  changed = false;

  constructor(private readonly tx: Knex.Transaction) {}

  async readVersions(): Promise<IndexVersions> {
    const users = await this.tx(USERS).select('entity_ref', 'etag');
    const groups = await this.tx(GROUPS).select(
      'entity_ref',
      'etag',
      'parent_refs',
      'child_refs',
    );
    return {
      users: new Map(users.map(u => [u.entity_ref, u.etag])),
      groups: new Map(
        groups.map(g => [
          g.entity_ref,
          {
            etag: g.etag,
            parentRefs: JSON.parse(g.parent_refs),
            childRefs: JSON.parse(g.child_refs),
          },
        ]),
      ),
    };
  }

  async upsertUsers(users: IndexedUser[]): Promise<void> {
    if (!users.length) {
      return;
    }
    this.changed = true;
    for (const batch of chunk(users, INSERT_CHUNK)) {
      await this.tx(USERS)
        .insert(batch.map(toUserRow))
        .onConflict('entity_ref')
        .merge();
      await this.tx(DETAILS)
        .insert(
          batch.map(u => ({
            entity_ref: u.entityRef,
            details: JSON.stringify(u.details),
          })),
        )
        .onConflict('entity_ref')
        .merge();
    }
  }

  async upsertGroups(groups: IndexedGroupWithDeclarations[]): Promise<void> {
    if (groups.length) {
      this.changed = true;
    }
    for (const batch of chunk(groups, INSERT_CHUNK)) {
      await this.tx(GROUPS)
        .insert(batch.map(toGroupRow))
        .onConflict('entity_ref')
        .merge();
    }
  }

  async updateGroupEdges(
    edges: Map<string, { parentRefs: string[]; childRefs: string[] }>,
  ): Promise<void> {
    for (const [ref, e] of edges) {
      await this.tx(GROUPS)
        .where('entity_ref', ref)
        .update({
          parent_refs: JSON.stringify(e.parentRefs),
          child_refs: JSON.stringify(e.childRefs),
        });
    }
  }

  async removeUsers(userRefs: string[]): Promise<void> {
    if (userRefs.length) {
      this.changed = true;
    }
    for (const batch of chunk(userRefs, IN_CHUNK)) {
      await this.tx(CLOSURE).whereIn('user_ref', batch).delete();
      await this.tx(UNCOUNTED).whereIn('user_ref', batch).delete();
      await this.tx(DIRECT).whereIn('user_ref', batch).delete();
      await this.tx(DETAILS).whereIn('entity_ref', batch).delete();
      await this.tx(USERS).whereIn('entity_ref', batch).delete();
    }
  }

  async removeGroups(groupRefs: string[]): Promise<void> {
    if (groupRefs.length) {
      this.changed = true;
    }
    for (const batch of chunk(groupRefs, IN_CHUNK)) {
      await this.tx(GROUPS).whereIn('entity_ref', batch).delete();
    }
  }

  readGroupDeclarations() {
    return readGroupDeclarations(this.tx);
  }

  readUserDeclarations(userRefs: string[] | 'all') {
    return readUserDeclarations(this.tx, userRefs);
  }

  readUsersTouching(groupRefs: string[]) {
    return readUsersTouching(this.tx, groupRefs);
  }

  async replaceUncounted(userRefs: string[], rows: UncountedRow[]) {
    if (userRefs.length) {
      // The flag the summary counts follows the rows written here.
      this.changed = true;
    }
    await replaceUncounted(this.tx, userRefs, rows);
  }

  async replaceHeldMemberships(rows: UncountedRow[]) {
    if (await replaceHeldMemberships(this.tx, rows)) {
      this.changed = true;
    }
  }

  readEngineFingerprint() {
    return readEngineFingerprint(this.tx);
  }

  setEngineFingerprint(fingerprint: string) {
    return setEngineFingerprint(this.tx, fingerprint);
  }

  async replaceClosure(userRefs: string[], rows: ClosureRow[]): Promise<void> {
    if (userRefs.length) {
      // The no-groups flag follows the direct counts written here.
      this.changed = true;
    }
    for (const batch of chunk(userRefs, IN_CHUNK)) {
      await this.tx(CLOSURE).whereIn('user_ref', batch).delete();
      await this.tx(DIRECT).whereIn('user_ref', batch).delete();
    }
    const directRows = rows
      .filter(r => r.direct)
      .map(r => ({ user_ref: r.userRef, group_ref: r.groupRef }));
    // SQLite refuses a multi-row insert (a compound SELECT to knex) of more
    // than 500 rows.
    for (const batch of chunk(directRows, INSERT_CHUNK * 2)) {
      await this.tx(DIRECT).insert(batch);
    }
    for (const batch of chunk(rows, INSERT_CHUNK * 2)) {
      await this.tx(CLOSURE).insert(
        batch.map(r => ({
          user_ref: r.userRef,
          group_ref: r.groupRef,
          direct: r.direct ? 1 : 0,
          path: JSON.stringify(r.path),
        })),
      );
    }
    // Counts are written per distinct value so that a full rebuild costs a
    // handful of statements rather than one per user.
    const counts = new Map<string, { direct: number; inherited: number }>();
    for (const ref of userRefs) {
      counts.set(ref, { direct: 0, inherited: 0 });
    }
    for (const row of rows) {
      const c = counts.get(row.userRef);
      if (c) {
        if (row.direct) {
          c.direct += 1;
        } else {
          c.inherited += 1;
        }
      }
    }
    const byValue = new Map<string, string[]>();
    for (const [ref, c] of counts) {
      const key = `${c.direct}:${c.inherited}`;
      const list = byValue.get(key);
      if (list) {
        list.push(ref);
      } else {
        byValue.set(key, [ref]);
      }
    }
    for (const [key, refs] of byValue) {
      const [direct, inherited] = key.split(':').map(Number);
      for (const batch of chunk(refs, IN_CHUNK)) {
        await this.tx(USERS)
          .whereIn('entity_ref', batch)
          .update({
            direct_group_count: direct,
            inherited_group_count: inherited,
            no_groups: direct === 0 ? 1 : 0,
          });
      }
    }
  }

  async recomputeDuplicateEmails(): Promise<void> {
    this.changed = true;
    const duplicates = this.tx(USERS)
      .select('email_sort')
      .whereNot('email_sort', '')
      .groupBy('email_sort')
      .havingRaw('count(*) > 1');
    await this.tx(USERS)
      .where('duplicate_email', 1)
      .whereNotIn('email_sort', duplicates.clone())
      .update({ duplicate_email: 0 });
    await this.tx(USERS)
      .where('duplicate_email', 0)
      .whereIn('email_sort', duplicates.clone())
      .update({ duplicate_email: 1 });
  }

  async recomputeGroupCounts(): Promise<void> {
    const current = await this.tx(GROUPS).select(
      'entity_ref',
      'direct_member_count',
      'total_member_count',
    );
    const counted: Array<{
      group_ref: string;
      direct: unknown;
      total: unknown;
    }> = await this.tx(CLOSURE)
      .select('group_ref')
      .sum({ direct: 'direct' })
      .count({ total: '*' })
      .groupBy('group_ref');
    const byGroup = new Map(
      counted.map(c => [
        c.group_ref as string,
        { direct: Number(c.direct), total: Number(c.total) },
      ]),
    );
    for (const group of current) {
      const c = byGroup.get(group.entity_ref) ?? { direct: 0, total: 0 };
      if (
        Number(group.direct_member_count) !== c.direct ||
        Number(group.total_member_count) !== c.total
      ) {
        await this.tx(GROUPS).where('entity_ref', group.entity_ref).update({
          direct_member_count: c.direct,
          total_member_count: c.total,
        });
      }
    }
  }

  async setIndexedAt(date: Date, scanMs: number): Promise<void> {
    await this.tx(STATE)
      .insert([
        { key: INDEXED_AT_KEY, value: date.toISOString() },
        { key: SCAN_MS_KEY, value: String(Math.round(scanMs)) },
      ])
      .onConflict('key')
      .merge();
    await this.tx(STATE)
      .whereIn('key', [FAILED_SINCE_KEY, LAST_FAILURE_KEY])
      .delete();
  }
}
