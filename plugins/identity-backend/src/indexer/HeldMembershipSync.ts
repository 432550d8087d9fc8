import { LoggerService } from '@backstage/backend-plugin-api';
import { IdentityStore } from '../store/IdentityStore';
import { SourceConflictSource } from '../service/SourceConflictSource';

/**
 * Copies the memberships held SCIM groups declare into the index, as
 * memberships that do not count for the reason `conflict`, so that the
 * summary flag, the list filter, the CSV and the detail name them as they
 * name the ones the engine finds. The catalog never sees them (the group is
 * not emitted), so the scim plugin is asked at every refresh task run.
 */
export class HeldMembershipSync {
  #failing = false;

  constructor(
    private readonly source: SourceConflictSource,
    private readonly store: Pick<IdentityStore, 'write'>,
    private readonly logger: LoggerService,
  ) {}

  /** Answers how many held memberships the index now lists, or undefined. */
  async sync(): Promise<number | undefined> {
    let rows;
    try {
      rows = await this.source.listHeldMemberships();
    } catch (error) {
      // Once per outage: the task runs every few seconds.
      if (!this.#failing) {
        this.logger.warn(
          `Could not read the memberships of held SCIM groups; the index keeps the last ones it read: ${
            (error as Error)?.message ?? error
          }`,
        );
      }
      this.#failing = true;
      return undefined;
    }
    if (this.#failing) {
      this.logger.info('The memberships of held SCIM groups are read again');
      this.#failing = false;
    }
    await this.store.write(writer => writer.replaceHeldMemberships(rows));
    return rows.length;
  }
}
