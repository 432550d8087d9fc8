import { AuditorService } from '@backstage/backend-plugin-api';
import { IdentityUserReader } from '../store/IdentityStore';
import { PendingRevocation, RevocationStore } from './RevocationStore';

/** Pending items compared per round trip. */
const WATCH_BATCH = 500;

export interface RevocationWatchOptions {
  store: RevocationStore;
  index: Pick<IdentityUserReader, 'getClosure' | 'getUser'>;
  auditor: AuditorService;
  now?: () => Date;
}

/** What one check did. */
export interface RevocationCheckResult {
  checked: number;
  effective: number;
}

/**
 * Tells which revocations took effect by comparing pending revoke items
 * with the index, right after a refresh made it follow the catalog: a
 * revocation is effective once the user no longer reaches the group whose
 * membership granted the access, directly or nested, as the one membership
 * engine counts. A user gone from the catalog has no access left: effective
 * too. Nobody's click says so.
 */
export class RevocationWatch {
  private readonly now: () => Date;

  constructor(private readonly options: RevocationWatchOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Compares the pending revocations with the index. When the refresh
   * changed nothing (`indexChanged` false), only items never compared are
   * read: the others would compare the same.
   */
  async check(indexChanged: boolean): Promise<RevocationCheckResult> {
    const { store } = this.options;
    const result: RevocationCheckResult = { checked: 0, effective: 0 };
    let afterId: string | undefined;
    for (;;) {
      const batch = await store.listPending({
        afterId,
        limit: WATCH_BATCH,
        uncheckedOnly: !indexChanged,
      });
      if (!batch.length) {
        return result;
      }
      const gone = await this.accessGone(batch);
      const at = this.now().toISOString();
      const effective = batch.filter(p => gone.has(p.itemId));
      await store.recordCheck(at, {
        effective: effective.map(p => p.itemId),
        pending: batch.filter(p => !gone.has(p.itemId)).map(p => p.itemId),
      });
      if (effective.length) {
        await this.audit(effective, at);
      }
      result.checked += batch.length;
      result.effective += effective.length;
      afterId = batch[batch.length - 1].itemId;
    }
  }

  /** The ids of the items whose granting membership the index no longer has. */
  private async accessGone(batch: PendingRevocation[]): Promise<Set<string>> {
    const { index } = this.options;
    const closure = await index.getClosure([
      ...new Set(batch.map(p => p.userRef)),
    ]);
    const gone = new Set<string>();
    for (const p of batch) {
      if (p.groupRef) {
        const rows = closure.get(p.userRef) ?? [];
        if (!rows.some(r => r.groupRef === p.groupRef)) {
          gone.add(p.itemId);
        }
      } else if (!(await index.getUser(p.userRef))) {
        // No group granted it (not something the scopes produce today):
        // only the user leaving the catalog shows the access gone.
        gone.add(p.itemId);
      }
    }
    return gone;
  }

  private async audit(effective: PendingRevocation[], at: string) {
    const event = await this.options.auditor.createEvent({
      eventId: 'review-revocation-effective',
      severityLevel: 'medium',
      meta: {
        effectiveAt: at,
        items: effective.map(p => ({
          campaignId: p.campaignId,
          itemId: p.itemId,
          userRef: p.userRef,
          access: p.access,
        })),
      },
    });
    await event.success();
  }
}
