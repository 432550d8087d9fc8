import {
  MembershipResolver,
  UserMemberships,
} from '@identity-governance/plugin-identity-node';

/**
 * Memberships being resolved, by credentials object (or, for `explain`, by
 * user ref), for reads that accept a stale user entity and for fresh ones.
 *
 * @remarks
 *
 * The permission backend calls `handle` for every item of a batch in the
 * same turn of the event loop with one credentials object, so a batch of 100
 * resolves the user once; every map is emptied on the next turn, so nothing
 * outlives the batch it was made for.
 */
export class BatchedMemberships {
  readonly #resolver: MembershipResolver;
  readonly #stale = new Map<unknown, Promise<UserMemberships>>();
  readonly #fresh = new Map<unknown, Promise<UserMemberships>>();
  readonly #verified = new Map<string, Promise<boolean>>();
  #clearScheduled = false;

  constructor(resolver: MembershipResolver) {
    this.#resolver = resolver;
  }

  membershipsOf(
    key: unknown,
    userEntityRef: string,
    allowStale: boolean,
  ): Promise<UserMemberships> {
    return this.#once(
      allowStale ? this.#stale : this.#fresh,
      key,
      // The ref comes from the verified credentials. `userInfo` would add
      // only the sign-in ownership claims, which the policy must not use.
      () => this.#resolver.getUserMemberships(userEntityRef, { allowStale }),
    );
  }

  /** `verifyPath`, once per path within one batch. */
  verify(path: string[]): Promise<boolean> {
    return this.#once(this.#verified, path.join(' '), () =>
      this.#resolver.verifyPath(path),
    );
  }

  #once<K, V>(
    map: Map<K, Promise<V>>,
    key: K,
    create: () => Promise<V>,
  ): Promise<V> {
    let pending = map.get(key);
    if (!pending) {
      if (!this.#clearScheduled) {
        this.#clearScheduled = true;
        setImmediate(() => {
          this.#clearScheduled = false;
          this.#stale.clear();
          this.#fresh.clear();
          this.#verified.clear();
        });
      }
      pending = create();
      map.set(key, pending);
    }
    return pending;
  }
}
