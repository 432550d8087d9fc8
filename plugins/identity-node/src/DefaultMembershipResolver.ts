import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ExpiringCache } from './ExpiringCache';
import { buildGroupGraph, GroupGraph } from './GroupGraph';
import { MembershipResolver, UserMemberships } from './MembershipResolver';
import { MembershipSource } from './MembershipSource';
import { resolveUserMemberships } from './resolveUserMemberships';
import { TrustedOrigins } from './TrustedOrigins';

/**
 * Options for {@link DefaultMembershipResolver}.
 *
 * @public
 */
export interface DefaultMembershipResolverOptions {
  source: MembershipSource;
  logger: LoggerService;
  trustedOrigins: TrustedOrigins;
  /** Levels of nesting followed above a user's direct groups. */
  maxDepth: number;
  /** How long the group graph and each user's entity may be served. */
  cacheTtlMs: number;
  /** The clock, replaceable in tests. */
  now?(): number;
}

const GRAPH_KEY = 'groups';

/**
 * Resolves memberships over two caches: the group graph (every Group entity,
 * a few fields each, reloaded as a whole) and one entry per user entity.
 * Neither is served past its TTL, so a membership removed in the catalog stops
 * counting within one cache window.
 *
 * @remarks
 *
 * Reloading every user every few seconds would not scale to tens of thousands
 * of users; the groups are few, and users are fetched only when asked for, in
 * batches. Both caches reload ahead of expiry in the background while busy.
 *
 * @public
 */
export class DefaultMembershipResolver implements MembershipResolver {
  readonly #options: DefaultMembershipResolverOptions;
  readonly #graphs: ExpiringCache<GroupGraph>;
  readonly #users: ExpiringCache<Entity | undefined>;
  readonly #results = new WeakMap<
    GroupGraph,
    Map<string, { user: Entity | undefined; result: UserMemberships }>
  >();
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
    const onBackgroundError = (error: unknown) =>
      options.logger.warn(
        `Background reload of memberships failed; cached values expire as usual: ${error}`,
      );
    this.#graphs = new ExpiringCache({
      ttlMs: options.cacheTtlMs,
      now: options.now,
      onBackgroundError,
      load: async () => [this.#onGraph(await options.source.loadGroups())],
    });
    this.#users = new ExpiringCache({
      ttlMs: options.cacheTtlMs,
      now: options.now,
      onBackgroundError,
      maxBatchSize: 500,
      load: refs => options.source.loadUsers(refs),
    });
  }

  async getUserMemberships(userEntityRef: string): Promise<UserMemberships> {
    const ref = normalizeUserRef(userEntityRef);
    const [graph, user] = await Promise.all([
      this.#graphs.get(GRAPH_KEY),
      this.#users.get(ref),
    ]);
    let byUser = this.#results.get(graph);
    if (!byUser) {
      byUser = new Map();
      this.#results.set(graph, byUser);
    }
    const cached = byUser.get(ref);
    if (cached && cached.user === user) {
      return cached.result;
    }
    const result = resolveUserMemberships({
      userEntityRef: ref,
      user,
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
    return result;
  }

  #onGraph(groups: Entity[]): GroupGraph {
    const graph = buildGroupGraph(groups, this.#options.trustedOrigins);
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

function normalizeUserRef(userEntityRef: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(userEntityRef, {
        defaultKind: 'user',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    throw new InputError(`Invalid user entity ref '${userEntityRef}'`);
  }
}
