/**
 * Options for {@link ExpiringCache}.
 */
export interface ExpiringCacheOptions<V> {
  /** Loads the values for a batch of keys, in the same order. */
  load(keys: string[]): Promise<V[]>;
  /** How long a value may be served, in milliseconds. */
  ttlMs: number;
  /**
   * How long a value may be served to callers that accept stale values
   * (`allowStale`), in milliseconds; at least `ttlMs`, which is the default.
   */
  staleTtlMs?: number;
  /**
   * Age after which a value is reloaded in the background while still being
   * served, so busy keys never wait for the catalog. Defaults to half the TTL.
   */
  refreshAfterMs?: number;
  /** The largest batch handed to `load`. */
  maxBatchSize?: number;
  /**
   * How long background refreshes wait to be batched together, in
   * milliseconds. Defaults to 100. Callers waiting on a miss are never held
   * back by it.
   */
  refreshBatchDelayMs?: number;
  /** Called when a background reload fails (the value then expires). */
  onBackgroundError?(error: unknown): void;
  /** The clock, replaceable in tests. */
  now?(): number;
}

/**
 * A cached value and when its load started.
 */
export interface CacheEntry<V> {
  value: V;
  /** When the load that produced the value started (the clock's ms). */
  loadedAt: number;
}

interface Waiter<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
}

/**
 * A keyed cache with a hard expiry: a value older than the TTL is never
 * returned, which is what bounds how long a revoked membership keeps working.
 * Misses within one turn of the event loop are loaded together in one batch,
 * and concurrent misses of one key share one load.
 */
export class ExpiringCache<V> {
  readonly #options: Required<
    Pick<
      ExpiringCacheOptions<V>,
      | 'ttlMs'
      | 'staleTtlMs'
      | 'refreshAfterMs'
      | 'maxBatchSize'
      | 'refreshBatchDelayMs'
    >
  > &
    ExpiringCacheOptions<V>;
  readonly #entries = new Map<string, CacheEntry<V>>();
  readonly #inFlight = new Map<string, Promise<CacheEntry<V>>>();
  #pending = new Map<string, Waiter<V>[]>();
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSweep = 0;

  constructor(options: ExpiringCacheOptions<V>) {
    this.#options = {
      refreshAfterMs: options.ttlMs / 2,
      staleTtlMs: Math.max(options.ttlMs, options.staleTtlMs ?? 0),
      maxBatchSize: 500,
      refreshBatchDelayMs: 100,
      ...options,
    };
  }

  #now() {
    return this.#options.now ? this.#options.now() : Date.now();
  }

  /** The value for `key`, loading it if it is missing or expired. */
  async get(key: string): Promise<V> {
    return (await this.getEntry(key)).value;
  }

  /**
   * The value for `key` with its load time. With `allowStale`, a value up to
   * `staleTtlMs` old is returned as it is (and reloaded in the background
   * once past half that age); otherwise the value is at most `ttlMs` old.
   */
  getEntry(
    key: string,
    options?: { allowStale?: boolean },
  ): Promise<CacheEntry<V>> {
    const now = this.#now();
    this.#sweep(now);
    const entry = this.#entries.get(key);
    if (entry) {
      const age = now - entry.loadedAt;
      const stale = options?.allowStale === true;
      const maxAge = stale ? this.#options.staleTtlMs : this.#options.ttlMs;
      if (age < maxAge) {
        const refreshAfter = stale
          ? Math.max(this.#options.refreshAfterMs, maxAge / 2)
          : this.#options.refreshAfterMs;
        if (age >= refreshAfter && !this.#inFlight.has(key)) {
          this.#load(key, true).catch(error =>
            this.#options.onBackgroundError?.(error),
          );
        }
        return Promise.resolve(entry);
      }
      if (age >= this.#options.staleTtlMs) {
        this.#entries.delete(key);
      }
    }
    return this.#inFlight.get(key) ?? this.#load(key);
  }

  /** Forgets every value, so the next reads go to the source. */
  clear() {
    this.#entries.clear();
  }

  /** How many values are held. */
  get size() {
    return this.#entries.size;
  }

  #load(key: string, background = false): Promise<CacheEntry<V>> {
    const startedAt = this.#now();
    const promise = new Promise<V>((resolve, reject) => {
      const waiters = this.#pending.get(key) ?? [];
      waiters.push({ resolve, reject });
      this.#pending.set(key, waiters);
      this.#scheduleFlush(background);
    }).then(
      value => {
        if (this.#inFlight.get(key) === promise) {
          this.#inFlight.delete(key);
        }
        // Stamp with the start time: the value is only as fresh as the
        // moment the catalog was asked.
        const entry = { value, loadedAt: startedAt };
        this.#entries.set(key, entry);
        return entry;
      },
      error => {
        if (this.#inFlight.get(key) === promise) {
          this.#inFlight.delete(key);
        }
        throw error;
      },
    );
    this.#inFlight.set(key, promise);
    return promise;
  }

  #scheduleFlush(background: boolean) {
    if (!background) {
      // Someone is waiting: flush after pending I/O, so a burst of misses
      // still coalesces into few batches.
      if (!this.#immediate) {
        this.#immediate = setImmediate(() => this.#flush());
      }
      return;
    }
    if (!this.#timer && !this.#immediate) {
      // Background refreshes of many keys come due at about the same time;
      // waiting a little turns them into a few large batches.
      this.#timer = setTimeout(
        () => this.#flush(),
        this.#options.refreshBatchDelayMs,
      );
      this.#timer.unref?.();
    }
  }

  #flush() {
    if (this.#immediate) {
      clearImmediate(this.#immediate);
      this.#immediate = undefined;
    }
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const pending = this.#pending;
    this.#pending = new Map();
    const keys = [...pending.keys()];
    for (let i = 0; i < keys.length; i += this.#options.maxBatchSize) {
      const batch = keys.slice(i, i + this.#options.maxBatchSize);
      // A loader that throws before returning a promise must still reject
      // the callers rather than escape the flush.
      Promise.resolve()
        .then(() => this.#options.load(batch))
        .then(
          values => {
            batch.forEach((key, j) =>
              pending.get(key)!.forEach(w => w.resolve(values[j])),
            );
          },
          error => {
            batch.forEach(key =>
              pending.get(key)!.forEach(w => w.reject(error)),
            );
          },
        );
    }
  }

  #sweep(now: number) {
    if (now - this.#lastSweep < this.#options.staleTtlMs * 10) {
      return;
    }
    this.#lastSweep = now;
    for (const [key, entry] of this.#entries) {
      if (now - entry.loadedAt >= this.#options.staleTtlMs) {
        this.#entries.delete(key);
      }
    }
  }
}
