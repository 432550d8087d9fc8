import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ExpiringCache } from './ExpiringCache';
import {
  assembleGroupGraph,
  GroupGraph,
  ParsedGroup,
  parseGroupEntity,
} from './GroupGraph';
import { GroupGraphLoader } from './GroupGraphLoader';
import {
  MembershipReadOptions,
  MembershipResolver,
  UserMemberships,
} from './MembershipResolver';
import { MembershipSource } from './MembershipSource';
import {
  parseUserEntity,
  resolveUserMemberships,
} from './resolveUserMemberships';
import { TrustedOrigins } from './TrustedOrigins';

/**
 * Options for {@link DefaultMembershipResolver}.
 */
export interface DefaultMembershipResolverOptions {
  source: MembershipSource;
  logger: LoggerService;
  trustedOrigins: TrustedOrigins;
  /** Levels of nesting followed above a user's direct groups. */
  maxDepth: number;
  /** How long the group graph and each user's entity may be served. */
  cacheTtlMs: number;
  /**
   * How long user entities and the group graph may be served to reads that
   * accept stale values (`allowStale`); at least `cacheTtlMs`, which is the
   * default.
   */
  staleTtlMs?: number;
  /** The clock, replaceable in tests. */
  now?(): number;
}

const GRAPH_KEY = 'groups';

/**
 * Resolves memberships over two caches: the group graph (every Group entity,
 * kept in step with the catalog by etag) and one entry per user entity.
 * Neither is served past its TTL, so a membership removed in the catalog stops
 * counting within one cache window.
 *
 * @remarks
 *
 * Reloading every user every few seconds would not scale to tens of thousands
 * of users; users are fetched only when asked for, in batches. A graph
 * refresh lists the groups' etags and loads only the groups that changed.
 * Both caches reload ahead of expiry in the background while busy.
 *
 * Reads with `allowStale` may get a user entity and a group graph up to
 * `staleTtlMs` old: the policy denies on them, and checks any grant with
 * {@link DefaultMembershipResolver.verifyPath} against entities within
 * `cacheTtlMs`, so that deciding for thousands of users who hold no grants
 * does not reload them, nor the groups, every few seconds.
 */
export class DefaultMembershipResolver implements MembershipResolver {
  readonly #options: DefaultMembershipResolverOptions;
  readonly #graphs: ExpiringCache<GroupGraph>;
  readonly #users: ExpiringCache<Entity | undefined>;
  /** Single groups, for checking grant paths. */
  readonly #groups: ExpiringCache<ParsedGroup | undefined>;
  readonly #results = new WeakMap<
    GroupGraph,
    Map<string, { user: Entity | undefined; result: UserMemberships }>
  >();
  readonly #loader: GroupGraphLoader;
  #lastGraph: GroupGraph | undefined;
  readonly #loggedCycles = new Set<string>();
  readonly #loggedTruncations = new Set<string>();
  #lastIgnoredCount = 0;

  constructor(options: DefaultMembershipResolverOptions) {
    if (!Number.isInteger(options.maxDepth) || options.maxDepth < 0) {
      throw new InputError(
        `maxDepth must be a non-negative integer, got ${options.maxDepth}`,
      );
    }
    this.#options = options;
    this.#loader = new GroupGraphLoader({
      source: options.source,
      trustedOrigins: options.trustedOrigins,
    });
    const onBackgroundError = (error: unknown) =>
      options.logger.warn(
        `Background reload of memberships failed; cached values expire as usual: ${error}`,
      );
    this.#graphs = new ExpiringCache({
      ttlMs: options.cacheTtlMs,
      staleTtlMs: options.staleTtlMs,
      now: options.now,
      onBackgroundError,
      load: async () => [this.#onGraph(await this.#loader.refresh())],
    });
    this.#users = new ExpiringCache({
      ttlMs: options.cacheTtlMs,
      staleTtlMs: options.staleTtlMs,
      now: options.now,
      onBackgroundError,
      maxBatchSize: 500,
      load: refs => options.source.loadUsers(refs),
    });
    this.#groups = new ExpiringCache({
      ttlMs: options.cacheTtlMs,
      now: options.now,
      onBackgroundError,
      maxBatchSize: 500,
      load: async refs =>
        (await options.source.loadGroups(refs)).map(group =>
          group ? parseGroupEntity(group) : undefined,
        ),
    });
  }

  async verifyPath(path: readonly string[]): Promise<boolean> {
    if (path.length < 2) {
      return false;
    }
    const userRef = normalizeUserRef(path[0]);
    const groupRefs = path.slice(1).map(ref => normalizeRef(ref, 'group'));
    const [user, ...groups] = await Promise.all([
      this.#users.get(userRef),
      ...groupRefs.map(ref => this.#groups.get(ref)),
    ]);
    if (!user || groups.some(g => !g)) {
      return false;
    }
    // The path's groups as a graph of their own, built and walked by the
    // same code as the whole graph, so an edge counts here exactly when it
    // would count there (trusted origins included).
    const graph = assembleGroupGraph(
      groups as ParsedGroup[],
      this.#options.trustedOrigins,
    );
    const direct = resolveUserMemberships({
      userEntityRef: userRef,
      user: parseUserEntity(user),
      graph,
      trustedOrigins: this.#options.trustedOrigins,
      maxDepth: 0,
    }).memberships;
    if (!direct.some(m => m.groupRef === groupRefs[0])) {
      return false;
    }
    return groupRefs.every(
      (child, i) =>
        i + 1 === groupRefs.length ||
        (graph.parentsOf.get(child)?.has(groupRefs[i + 1]) ?? false),
    );
  }

  async getUserMemberships(
    userEntityRef: string,
    options?: MembershipReadOptions,
  ): Promise<UserMemberships> {
    const ref = normalizeUserRef(userEntityRef);
    const [graphEntry, entry] = await Promise.all([
      this.#graphs.getEntry(GRAPH_KEY, options),
      this.#users.getEntry(ref, options),
    ]);
    const graph = graphEntry.value;
    const user = entry.value;
    const now = this.#options.now ? this.#options.now() : Date.now();
    const fresh =
      now - Math.min(entry.loadedAt, graphEntry.loadedAt) <
      this.#options.cacheTtlMs;
    let byUser = this.#results.get(graph);
    if (!byUser) {
      byUser = new Map();
      this.#results.set(graph, byUser);
    }
    const cached = byUser.get(ref);
    if (cached && sameVersion(cached.user, user)) {
      return fresh ? cached.result : { ...cached.result, fresh };
    }
    const result = resolveUserMemberships({
      userEntityRef: ref,
      user: user && parseUserEntity(user),
      graph,
      trustedOrigins: this.#options.trustedOrigins,
      maxDepth: this.#options.maxDepth,
    });
    byUser.set(ref, { user, result });
    if (result.truncated && !this.#loggedTruncations.has(ref)) {
      this.#loggedTruncations.add(ref);
      this.#options.logger.warn(
        `Membership of ${ref} was cut at the depth limit (${
          this.#options.maxDepth
        } levels above its direct groups); groups further up do not count`,
      );
    }
    return fresh ? result : { ...result, fresh };
  }

  #onGraph(graph: GroupGraph): GroupGraph {
    if (graph === this.#lastGraph) {
      return graph;
    }
    this.#lastGraph = graph;
    for (const cycle of graph.cycles) {
      const key = cycle.join(',');
      if (!this.#loggedCycles.has(key)) {
        this.#loggedCycles.add(key);
        this.#options.logger.warn(
          `Group membership cycle: ${cycle.join(
            ', ',
          )}; each group in it is counted once`,
        );
      }
    }
    if (graph.ignoredDeclarations !== this.#lastIgnoredCount) {
      this.#lastIgnoredCount = graph.ignoredDeclarations;
      if (graph.ignoredDeclarations > 0) {
        const examples = [...graph.untrustedGroups.entries()]
          .slice(0, 5)
          .map(([ref, origin]) => `${ref} (${origin ?? 'no origin'})`)
          .join(', ');
        this.#options.logger.info(
          `Ignoring ${graph.ignoredDeclarations} membership declarations from ${graph.untrustedGroups.size} groups of untrusted origin, e.g. ${examples}`,
        );
      }
    }
    return graph;
  }
}

/** The same user entity, or a reload of it that the catalog did not change. */
function sameVersion(a: Entity | undefined, b: Entity | undefined): boolean {
  if (a === b) {
    return true;
  }
  const etag = a?.metadata.etag;
  return etag !== undefined && etag === b?.metadata.etag;
}

/** Bounds {@link normalizedUserRefs}: any caller may send any ref. */
const MAX_NORMALIZED_REFS = 10_000;
/**
 * Normalized user refs by the ref asked for. The policy asks for the same
 * few thousand users all the time, and parsing, formatting and lowercasing
 * with ICU cost more than the cached lookups it leads to.
 */
const normalizedUserRefs = new Map<string, string>();

function normalizeUserRef(userEntityRef: string): string {
  let ref = normalizedUserRefs.get(userEntityRef);
  if (ref === undefined) {
    ref = normalizeRef(userEntityRef, 'user');
    if (normalizedUserRefs.size >= MAX_NORMALIZED_REFS) {
      normalizedUserRefs.clear();
    }
    normalizedUserRefs.set(userEntityRef, ref);
  }
  return ref;
}

function normalizeRef(entityRef: string, defaultKind: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(entityRef, { defaultKind, defaultNamespace: 'default' }),
    ).toLocaleLowerCase('en-US');
  } catch {
    throw new InputError(`Invalid ${defaultKind} entity ref '${entityRef}'`);
  }
}
