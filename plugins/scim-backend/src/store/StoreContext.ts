import { Knex } from 'knex';
import { ScimResourceType } from '@identity-governance/plugin-scim-node';

/** What every part of the database store shares. */
export interface StoreContext {
  knex: Knex;
  /** The time of a write (ISO 8601), from a clock tests can swap. */
  now(): string;
  /** Builds the entity ref recorded in the history and the changes. */
  entityRefOf(kind: ScimResourceType, idp: string, entityName: string): string;
}
