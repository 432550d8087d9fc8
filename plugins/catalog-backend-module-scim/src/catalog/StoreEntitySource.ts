import { ScimStore } from '../store/ScimStore';
import {
  IdpSettings,
  buildEntities,
  entityRefOf,
  locationKeyOf,
  ownershipCandidates,
} from './buildEntities';
import { EntityOwnership } from './EntityOwnership';
import {
  ScimChangeEvent,
  ScimEntityDelta,
  ScimEntitySource,
} from './scimEntitySourceServiceRef';

/** The scim plugin's side of the bridge: entities built from its store. */
export class StoreEntitySource implements ScimEntitySource {
  private readonly listeners = new Set<(change: ScimChangeEvent) => void>();

  constructor(
    private readonly store: Pick<ScimStore, 'loadEntityGraph'>,
    private readonly settings: IdpSettings,
    private readonly ownership: Pick<EntityOwnership, 'decide'>,
  ) {}

  async readEntities() {
    const graph = await this.store.loadEntityGraph();
    const decision = await this.ownership.decide(
      ownershipCandidates(graph, this.settings),
    );
    return buildEntities(graph, this.settings, decision);
  }

  async readDelta(changes: ScimChangeEvent[]): Promise<ScimEntityDelta> {
    const graph = await this.store.loadEntityGraph({
      userIds: changes.flatMap(c => c.userIds),
      groupIds: changes.flatMap(c => c.groupIds),
    });
    const decision = await this.ownership.decide(
      ownershipCandidates(graph, this.settings),
    );
    const added = buildEntities(graph, this.settings, decision);
    const emitted = new Set(
      added.map(a =>
        `${a.entity.kind}:${a.entity.metadata.namespace}/${a.entity.metadata.name}`.toLocaleLowerCase(
          'en-US',
        ),
      ),
    );
    const removed = new Map<
      string,
      { entityRef: string; locationKey: string }
    >();
    const candidates = [
      ...changes.flatMap(c => c.previousRefs),
      // Users that are inactive now, or gone, and records held back were
      // possibly emitted before. Removing a ref emitted by another source is
      // a no-op: the catalog removes only what this provider emitted.
      ...graph.users.map(u => ({
        idp: u.idp,
        ref: entityRefOf(this.settings, 'User', u.idp, u.entityName),
      })),
      ...graph.groups.map(g => ({
        idp: g.idp,
        ref: entityRefOf(this.settings, 'Group', g.idp, g.entityName),
      })),
    ];
    for (const candidate of candidates) {
      const ref = typeof candidate === 'string' ? candidate : candidate.ref;
      if (!emitted.has(ref.toLocaleLowerCase('en-US'))) {
        const idp =
          typeof candidate === 'string'
            ? changes.find(c => c.previousRefs.includes(candidate))!.idp
            : candidate.idp;
        removed.set(ref, { entityRef: ref, locationKey: locationKeyOf(idp) });
      }
    }
    return { added, removed: [...removed.values()] };
  }

  subscribe(listener: (change: ScimChangeEvent) => void) {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(change: ScimChangeEvent) {
    for (const listener of this.listeners) {
      listener(change);
    }
  }
}
