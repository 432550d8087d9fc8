import {
  ScimChangeEvent,
  ScimRecordSet,
  ScimRecordSource,
} from '@identity-governance/plugin-scim-node';
import { ScimStore } from '../store/ScimStore';
import { EntityOwnership } from './EntityOwnership';
import { IdpSettings } from './entityRefOf';
import { ownershipCandidates, toRecordSet } from './toRecordSet';

/**
 * The scim plugin's side of the bridge to the catalog module: records read
 * from the store, after the ownership decision.
 */
export class StoreRecordSource implements ScimRecordSource {
  private readonly listeners = new Set<(change: ScimChangeEvent) => void>();

  constructor(
    private readonly store: Pick<ScimStore, 'loadEntityGraph'>,
    private readonly settings: IdpSettings,
    private readonly ownership: Pick<EntityOwnership, 'decide'>,
  ) {}

  async readRecords(selection?: {
    userIds: string[];
    groupIds: string[];
  }): Promise<ScimRecordSet> {
    const graph = await this.store.loadEntityGraph(selection);
    const decision = await this.ownership.decide(
      ownershipCandidates(graph, this.settings),
    );
    return toRecordSet(graph, this.settings, decision);
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
