import { Entity } from '@backstage/catalog-model';
import {
  assembleGroupGraph,
  GroupGraph,
  ParsedGroup,
  parseGroupEntity,
} from './GroupGraph';
import { MembershipSource } from './MembershipSource';
import { TrustedOrigins } from './TrustedOrigins';

/** Groups per `loadGroups` call. */
const LOAD_BATCH = 500;

interface Known {
  etag?: string;
  /** `undefined` for a group whose name could not be read. */
  parsed?: ParsedGroup;
}

/**
 * Keeps the group graph in step with the catalog by etag: each refresh lists
 * every group's ref and etag, loads only the groups that are new or changed,
 * and rebuilds the graph only when something changed.
 *
 * @remarks
 *
 * Reloading every group with its member lists on every refresh cost the
 * permission backend a third of its throughput at 20,000 users (see the
 * policy module's benchmark); the listing is a few bytes per group. When
 * nothing changed the same graph object is returned, so memberships computed
 * from it stay valid.
 */
export class GroupGraphLoader {
  readonly #source: MembershipSource;
  readonly #trustedOrigins: TrustedOrigins;
  readonly #known = new Map<string, Known>();
  #graph: GroupGraph | undefined;

  constructor(options: {
    source: MembershipSource;
    trustedOrigins: TrustedOrigins;
  }) {
    this.#source = options.source;
    this.#trustedOrigins = options.trustedOrigins;
  }

  /** Brings the graph up to date with the source; one call at a time. */
  async refresh(): Promise<GroupGraph> {
    const versions = await this.#source.listGroupVersions();
    const listed = new Set<string>();
    const changed: string[] = [];
    for (const { entityRef, etag } of versions) {
      listed.add(entityRef);
      const known = this.#known.get(entityRef);
      if (!known || etag === undefined || known.etag !== etag) {
        changed.push(entityRef);
      }
    }
    const removed = [...this.#known.keys()].filter(ref => !listed.has(ref));
    if (this.#graph && !changed.length && !removed.length) {
      return this.#graph;
    }

    const loaded: Array<[string, Entity | undefined]> = [];
    for (let i = 0; i < changed.length; i += LOAD_BATCH) {
      const batch = changed.slice(i, i + LOAD_BATCH);
      const entities = await this.#source.loadGroups(batch);
      batch.forEach((ref, j) => loaded.push([ref, entities[j]]));
    }
    // Nothing is applied until every batch has loaded, so a failed refresh
    // leaves the previous, consistent state in place.
    for (const ref of removed) {
      this.#known.delete(ref);
    }
    for (const [ref, entity] of loaded) {
      if (entity) {
        this.#known.set(ref, {
          etag: entity.metadata.etag,
          parsed: parseGroupEntity(entity),
        });
      } else {
        // Deleted between the listing and the load.
        this.#known.delete(ref);
      }
    }
    this.#graph = assembleGroupGraph(
      [...this.#known.values()].flatMap(k => (k.parsed ? [k.parsed] : [])),
      this.#trustedOrigins,
    );
    return this.#graph;
  }
}
