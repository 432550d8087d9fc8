import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ScimChangeEvent,
  ScimRecordSource,
  ScimRecordSourceRegistry,
} from '@identity-governance/plugin-scim-node';
import {
  buildDelta,
  mutationKey,
  ScimEntityDelta,
  supersede,
} from './buildDelta';
import { buildEntities } from './buildEntities';

/** How long changes are gathered before one delta mutation is applied. */
const BATCH_DELAY_MS = 200;
/** How long before a failed delta mutation is tried again. */
const RETRY_DELAY_MS = 5_000;
/** How long before a failed reconciliation is tried again. */
const RECONCILE_RETRY_MS = 30_000;
/** The reconciliation's task, in the catalog plugin's scheduler. */
export const RECONCILIATION_TASK_ID = 'scim-reconciliation';
const SOURCE_WAIT_MS = 60_000;
/**
 * How many times one flush applies its changes again because the records
 * changed while it applied them. Each further change has a flush of its own,
 * on the replica that committed it; the bound only stops a loop.
 */
const MAX_DELTA_ROUNDS = 10;
/**
 * The same for a reconciliation, which reads every record each time: while
 * an IdP provisions, the records change all along, and the deltas of those
 * changes follow anyway.
 */
const MAX_FULL_ROUNDS = 3;

/**
 * Emits the users and groups provisioned over SCIM, read from the scim
 * plugin's record source. Each SCIM change becomes
 * a delta mutation within a fraction of a second; a full mutation runs at
 * startup and on the reconciliation schedule. Full and delta mutations run
 * one at a time, in order, so a reconciliation that read older state cannot
 * overwrite a newer delta.
 *
 * Across replicas nothing orders them: each replica applies the changes it
 * committed, and one that read the records before another replica's commit
 * may apply them after that replica applied the newer state. So every
 * mutation is checked once applied: the records are read again, and while
 * they would make a different mutation, that one is applied. The last
 * mutation of any replica then carries the records as they are, or is
 * followed by the flush of the replica that changed them since.
 */
export class ScimEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private pending: ScimChangeEvent[] = [];
  private timer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private queue: Promise<void> = Promise.resolve();

  /**
   * @param triggerReconciliation - runs the reconciliation task now, through
   *   the scheduler (`scheduler.triggerTask`), so that a retry holds the
   *   cluster's lock like a scheduled run: a replica's own timer calling
   *   `reconcile` would run it beside another replica's.
   */
  constructor(
    private readonly registry: ScimRecordSourceRegistry,
    private readonly taskRunner: SchedulerServiceTaskRunner,
    private readonly logger: LoggerService,
    private readonly triggerReconciliation: () => Promise<void>,
  ) {}

  getProviderName(): string {
    return 'scim';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    this.registry
      .get()
      .then(source => source.subscribe(change => this.enqueue(change)));
    await this.taskRunner.run({
      id: RECONCILIATION_TASK_ID,
      fn: () => this.reconcile(),
    });
  }

  private async source(): Promise<ScimRecordSource> {
    let timeout: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timeout = setTimeout(
        () =>
          reject(
            new Error(
              'The scim plugin has not registered its record source; is @identity-governance/plugin-scim-backend installed in this backend?',
            ),
          ),
        SOURCE_WAIT_MS,
      );
    });
    try {
      return await Promise.race([this.registry.get(), gaveUp]);
    } finally {
      clearTimeout(timeout);
    }
  }

  private serialize(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => {});
    return next;
  }

  /**
   * Replaces everything this provider emitted with what the store holds.
   * When that fails (the catalog, asked who owns each ref, may not answer
   * yet right after startup), it is tried again 30 s later rather than at
   * the next scheduled run only.
   */
  async reconcile(): Promise<void> {
    try {
      const source = await this.source();
      await this.serialize(async () => {
        let applied: string | undefined;
        for (let round = 0; round < MAX_FULL_ROUNDS; round++) {
          const entities = buildEntities(await source.readRecords());
          const key = mutationKey(entities);
          if (key === applied) {
            return;
          }
          await this.connection!.applyMutation({ type: 'full', entities });
          applied = key;
          this.logger.info(
            `SCIM reconciliation emitted ${entities.length} entities`,
          );
        }
      });
    } catch (error) {
      this.retryReconciliation('SCIM reconciliation failed', error);
      throw error;
    }
  }

  private retryReconciliation(what: string, error: unknown) {
    if (this.retryTimer) {
      return;
    }
    this.logger.warn(
      `${what}, trying again in ${RECONCILE_RETRY_MS / 1000}s: ${error}`,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.triggerReconciliation().catch(triggerError => {
        // Running already, on some replica: that run is the retry.
        if (!isError(triggerError) || triggerError.name !== 'ConflictError') {
          this.retryReconciliation(
            'SCIM reconciliation could not be triggered',
            triggerError,
          );
        }
      });
    }, RECONCILE_RETRY_MS);
    this.retryTimer.unref?.();
  }

  private enqueue(change: ScimChangeEvent, delayMs = BATCH_DELAY_MS) {
    this.pending.push(change);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush().catch(error =>
          this.logger.error('SCIM delta mutation failed', error),
        );
      }, delayMs);
    }
  }

  /**
   * Applies the gathered changes as one delta mutation. When that fails (the
   * catalog is asked who owns each ref first, and may not answer yet), the
   * changes are tried again later rather than left to the next
   * reconciliation.
   */
  async flush(): Promise<void> {
    const changes = this.pending.splice(0);
    if (!changes.length || !this.connection) {
      return;
    }
    try {
      const source = await this.source();
      await this.serialize(async () => {
        let applied: ScimEntityDelta | undefined;
        let appliedKey: string | undefined;
        for (let round = 0; round < MAX_DELTA_ROUNDS; round++) {
          const records = await source.readRecords({
            userIds: changes.flatMap(c => c.userIds),
            groupIds: changes.flatMap(c => c.groupIds),
          });
          const built = buildDelta(records, changes);
          const delta = applied ? supersede(applied, built) : built;
          const key = mutationKey(built.added);
          if (key === appliedKey) {
            return;
          }
          await this.connection!.applyMutation({ type: 'delta', ...delta });
          applied = delta;
          appliedKey = key;
        }
      });
    } catch (error) {
      this.logger.warn(
        `SCIM delta mutation failed, trying again in ${
          RETRY_DELAY_MS / 1000
        }s: ${error}`,
      );
      changes.forEach(change => this.enqueue(change, RETRY_DELAY_MS));
    }
  }
}
