import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { DatabaseGroupQueries } from './DatabaseGroupQueries';
import { DatabaseIdentityIndexWriter } from './DatabaseIdentityIndexWriter';
import { DatabaseUserQueries } from './DatabaseUserQueries';
import {
  IdentityIndexWriter,
  IdentityStore,
  PageRequest,
  UserFilter,
  UserSort,
} from './IdentityStore';
import { DatabaseIndexState, writeSummary } from './indexState';

const migrationsDir = resolvePackagePath(
  '@identity-governance/plugin-identity-backend',
  'migrations',
);

/**
 * The identity index in the plugin's own database: the indexer's writes in
 * one transaction, and the reads of each concept from its own file.
 */
export class DatabaseIdentityStore implements IdentityStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseIdentityStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseIdentityStore(knex);
  }

  readonly #users: DatabaseUserQueries;
  readonly #groups: DatabaseGroupQueries;
  readonly #state: DatabaseIndexState;

  constructor(private readonly knex: Knex) {
    this.#users = new DatabaseUserQueries(knex);
    this.#groups = new DatabaseGroupQueries(knex);
    this.#state = new DatabaseIndexState(knex);
  }

  async write<T>(fn: (writer: IdentityIndexWriter) => Promise<T>): Promise<T> {
    return this.knex.transaction(async tx => {
      const writer = new DatabaseIdentityIndexWriter(tx);
      const result = await fn(writer);
      // Counting 50,000 users on every summary request blocked the event loop
      // (better-sqlite3 is synchronous); a write that changed the index
      // counts once, in its own transaction, so the two never disagree.
      if (writer.changed) {
        await writeSummary(tx);
      }
      return result;
    });
  }

  queryUsers(filter: UserFilter, sort: UserSort, page: PageRequest) {
    return this.#users.queryUsers(filter, sort, page);
  }

  streamUsers(filter: UserFilter, batchSize: number) {
    return this.#users.streamUsers(filter, batchSize);
  }

  getUser(entityRef: string) {
    return this.#users.getUser(entityRef);
  }

  getDirectGroups(userRefs: string[]) {
    return this.#users.getDirectGroups(userRefs);
  }

  getUncounted(userRef: string) {
    return this.#users.getUncounted(userRef);
  }

  getClosure(userRefs: string[]) {
    return this.#users.getClosure(userRefs);
  }

  getGroupNodes() {
    return this.#groups.getGroupNodes();
  }

  getGroup(entityRef: string) {
    return this.#groups.getGroup(entityRef);
  }

  getGroupDisplayNames(groupRefs: string[]) {
    return this.#groups.getGroupDisplayNames(groupRefs);
  }

  queryGroupMembers(groupRef: string, page: PageRequest) {
    return this.#groups.queryGroupMembers(groupRef, page);
  }

  summary() {
    return this.#state.summary();
  }

  refreshRecord() {
    return this.#state.refreshRecord();
  }

  recordRefreshFailure(at: Date, message: string) {
    return this.#state.recordRefreshFailure(at, message);
  }

  requestRefresh(at: Date) {
    return this.#state.requestRefresh(at);
  }
}
