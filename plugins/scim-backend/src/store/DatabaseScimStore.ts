import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ScimResourceType } from '@identity-governance/plugin-scim-node';
import { Knex } from 'knex';
import { DatabaseEntityGraphStore } from './DatabaseEntityGraphStore';
import { DatabaseGroupStore } from './DatabaseGroupStore';
import { DatabaseHistoryStore } from './DatabaseHistoryStore';
import { DatabaseOwnershipStore } from './DatabaseOwnershipStore';
import { DatabaseUserStore } from './DatabaseUserStore';
import { ScimStore } from './ScimStore';
import { StoreContext } from './StoreContext';

/** The migrations' own table, kept since the first release. */
const MIGRATIONS_TABLE = 'scim_knex_migrations';

export interface DatabaseScimStoreOptions {
  /** Builds the entity ref recorded in the history. */
  entityRefOf(kind: ScimResourceType, idp: string, entityName: string): string;
  /** Clock, swappable in tests. */
  now?: () => Date;
}

/**
 * The knex implementation of {@link ScimStore}, for SQLite and PostgreSQL:
 * one store per concept (users, groups, entity graph, history, ownership)
 * over the same database.
 */
export class DatabaseScimStore implements ScimStore {
  static async create(
    database: DatabaseService,
    options: DatabaseScimStoreOptions,
  ): Promise<DatabaseScimStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await DatabaseScimStore.migrate(knex);
    }
    return new DatabaseScimStore(knex, options);
  }

  static async migrate(knex: Knex): Promise<void> {
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@identity-governance/plugin-scim-backend',
        'migrations',
      ),
      tableName: MIGRATIONS_TABLE,
    });
  }

  private readonly users: DatabaseUserStore;
  private readonly groups: DatabaseGroupStore;
  private readonly graph: DatabaseEntityGraphStore;
  private readonly history: DatabaseHistoryStore;
  private readonly ownership: DatabaseOwnershipStore;

  constructor(knex: Knex, options: DatabaseScimStoreOptions) {
    const ctx: StoreContext = {
      knex,
      now: () => (options.now?.() ?? new Date()).toISOString(),
      entityRefOf: options.entityRefOf,
    };
    this.users = new DatabaseUserStore(ctx);
    this.groups = new DatabaseGroupStore(ctx);
    this.graph = new DatabaseEntityGraphStore(knex);
    this.history = new DatabaseHistoryStore(knex);
    this.ownership = new DatabaseOwnershipStore(ctx);
  }

  createUser: ScimStore['createUser'] = (...a) => this.users.createUser(...a);
  modifyUser: ScimStore['modifyUser'] = (...a) => this.users.modifyUser(...a);
  deleteUser: ScimStore['deleteUser'] = (...a) => this.users.deleteUser(...a);
  getUser: ScimStore['getUser'] = (...a) => this.users.getUser(...a);
  listUsers: ScimStore['listUsers'] = (...a) => this.users.listUsers(...a);

  createGroup: ScimStore['createGroup'] = (...a) =>
    this.groups.createGroup(...a);
  modifyGroup: ScimStore['modifyGroup'] = (...a) =>
    this.groups.modifyGroup(...a);
  deleteGroup: ScimStore['deleteGroup'] = (...a) =>
    this.groups.deleteGroup(...a);
  getGroup: ScimStore['getGroup'] = (...a) => this.groups.getGroup(...a);
  listGroups: ScimStore['listGroups'] = (...a) => this.groups.listGroups(...a);

  loadEntityGraph: ScimStore['loadEntityGraph'] = (...a) =>
    this.graph.loadEntityGraph(...a);

  getHistory: ScimStore['getHistory'] = (...a) => this.history.getHistory(...a);

  readOwnership: ScimStore['readOwnership'] = (...a) =>
    this.ownership.readOwnership(...a);
  recordOwnership: ScimStore['recordOwnership'] = (...a) =>
    this.ownership.recordOwnership(...a);
  listConflicts: ScimStore['listConflicts'] = (...a) =>
    this.ownership.listConflicts(...a);
  listHeldMemberships: ScimStore['listHeldMemberships'] = () =>
    this.ownership.listHeldMemberships();
  adoptConflict: ScimStore['adoptConflict'] = (...a) =>
    this.ownership.adoptConflict(...a);
}
