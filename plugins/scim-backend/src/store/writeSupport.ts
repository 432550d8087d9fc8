import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { ScimError } from '../errors/ScimError';
import { Row } from './rows';

type ResourceTable = 'scim_users' | 'scim_groups';

/**
 * Bumps the version first: that takes the row lock (PostgreSQL) or the
 * write lock (SQLite) before anything is read, which serializes writers.
 * Answers the row as it was.
 */
export async function lockResource(
  tx: Knex.Transaction,
  table: ResourceTable,
  idp: string,
  id: string,
): Promise<Row> {
  const updated = await tx(table)
    .where({ id, idp })
    .update({ version: tx.raw('version + 1') });
  if (!updated) {
    throw ScimError.notFound(`Resource ${id} not found`);
  }
  const row = await tx(table).where({ id }).first();
  return { ...row, version: Number(row.version) - 1 };
}

/** Runs a write again when it lost a race for a unique entity name. */
export async function withConflictRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      // Two creates racing for the same entity name: the loser picks again.
      if (!isDatabaseConflictError(error) || attempt >= 3) {
        throw error;
      }
    }
  }
}

/** The first of the candidate entity names that no other resource has. */
export async function pickEntityName(
  tx: Knex.Transaction,
  table: ResourceTable,
  id: string,
  candidates: string[],
  current?: string,
): Promise<string> {
  // A resource keeps the name it has while it is still a valid candidate,
  // so that names do not move when a colliding resource goes away.
  if (current && candidates.includes(current)) {
    return current;
  }
  const taken: string[] = await tx(table)
    .whereIn('entity_name', candidates)
    .whereNot('id', id)
    .pluck('entity_name');
  const free = candidates.find(c => !taken.includes(c));
  if (!free) {
    throw new ScimError(500, `No free entity name among ${candidates}`);
  }
  return free;
}
