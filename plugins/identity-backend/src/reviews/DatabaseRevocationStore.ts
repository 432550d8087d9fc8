import { Knex } from 'knex';
import { ITEMS, ItemRow } from './reviewRows';
import { PendingRevocation, RevocationStore } from './RevocationStore';

/** Keeps `where in` lists under SQLite's oldest variable limit. */
const UPDATE_CHUNK = 500;

/** The revocation columns of the review items (SQLite or PostgreSQL). */
export class DatabaseRevocationStore implements RevocationStore {
  constructor(private readonly knex: Knex) {}

  async listPending(query: {
    afterId?: string;
    limit: number;
    uncheckedOnly: boolean;
  }): Promise<PendingRevocation[]> {
    let q = this.knex<ItemRow>(ITEMS)
      .select('id', 'campaign_id', 'user_ref', 'access', 'group_ref')
      .where({ revocation_status: 'pending' });
    if (query.afterId !== undefined) {
      q = q.andWhere('id', '>', query.afterId);
    }
    if (query.uncheckedOnly) {
      q = q.whereNull('revocation_checked_at');
    }
    const rows = await q.orderBy('id').limit(query.limit);
    return rows.map(row => ({
      itemId: row.id,
      campaignId: row.campaign_id,
      userRef: row.user_ref,
      access: row.access,
      ...(row.group_ref ? { groupRef: row.group_ref } : {}),
    }));
  }

  async recordCheck(
    at: string,
    result: { effective: string[]; pending: string[] },
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      for (let i = 0; i < result.effective.length; i += UPDATE_CHUNK) {
        await tx(ITEMS)
          .whereIn('id', result.effective.slice(i, i + UPDATE_CHUNK))
          .andWhere({ revocation_status: 'pending' })
          .update({
            revocation_status: 'effective',
            revocation_effective_at: at,
            revocation_checked_at: at,
          });
      }
      for (let i = 0; i < result.pending.length; i += UPDATE_CHUNK) {
        await tx(ITEMS)
          .whereIn('id', result.pending.slice(i, i + UPDATE_CHUNK))
          .andWhere({ revocation_status: 'pending' })
          .update({ revocation_checked_at: at });
      }
    });
  }
}
