import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import {
  assembleGroupGraph,
  edgeKey,
  GroupGraph,
  resolveUserMemberships,
  TrustedOrigins,
} from '@identity-governance/plugin-identity-node';
import {
  ClosureRow,
  IdentityStore,
  IndexedGroupWithDeclarations,
  IndexedUser,
  UncountedRow,
} from '../store/IdentityStore';
import { EntityVersion, IdentityCatalogReader } from './IdentityCatalogReader';
import { isRefreshDue } from './isRefreshDue';
import { toIndexedGroup, toIndexedUser } from './toIndexedEntity';

/** The membership engine settings the index resolves with. */
export interface IndexerEngineSettings {
  trustedOrigins: TrustedOrigins;
  maxDepth: number;
  /** Changes when the settings do; see `MembershipResolverConfig`. */
  fingerprint: string;
}

/** What one refresh did. */
export interface IndexRefreshResult {
  usersChanged: number;
  usersRemoved: number;
  groupsChanged: number;
  groupsRemoved: number;
  /** Users whose transitive memberships were recomputed. */
  closuresRebuilt: number;
}

/**
 * What a group contributes to the memberships resolved through it: its
 * directory and the parent edges declared from it, counted or not. A user
 * whose closure holds a group whose signature changed resolves differently.
 */
function groupSignature(graph: GroupGraph, ref: string): string {
  const parents = [...(graph.parentsOf.get(ref) ?? [])].sort().map(p => {
    const source = graph.edgeSources.get(edgeKey(ref, p));
    return `${p}<${source?.declaredBy}@${source?.directory}`;
  });
  const uncounted = (graph.uncountedParents.get(ref) ?? [])
    .map(e => `${e.groupRef}!${e.reason}<${e.source.declaredBy}`)
    .sort();
  return JSON.stringify([graph.groups.get(ref), parents, uncounted]);
}

/** Each group's counted parent and child refs, sorted. */
function countedEdges(
  graph: GroupGraph,
): Map<string, { parentRefs: string[]; childRefs: string[] }> {
  const edges = new Map<
    string,
    { parentRefs: string[]; childRefs: string[] }
  >();
  const get = (ref: string) => {
    let e = edges.get(ref);
    if (!e) {
      e = { parentRefs: [], childRefs: [] };
      edges.set(ref, e);
    }
    return e;
  };
  for (const [child, parents] of graph.parentsOf) {
    for (const parent of parents) {
      get(child).parentRefs.push(parent);
      get(parent).childRefs.push(child);
    }
  }
  for (const e of edges.values()) {
    e.parentRefs.sort();
    e.childRefs.sort();
  }
  return edges;
}

/**
 * Brings the index up to date with the catalog. Only entities whose etag
 * changed are read in full and rewritten; transitive memberships are
 * recomputed only for users whose own memberships, or whose groups' ancestry,
 * changed.
 */
export class IdentityIndexer {
  constructor(
    private readonly store: IdentityStore,
    private readonly reader: IdentityCatalogReader,
    private readonly logger: LoggerService,
    /** The membership engine's settings, as the policy reads them. */
    private readonly engine: IndexerEngineSettings,
    /** See `identity.refresh.maxScanShare` and {@link isRefreshDue}. */
    private readonly maxScanShare = 1,
  ) {}

  /**
   * The scheduled task: refreshes unless the last refresh's scan says to
   * wait (see {@link isRefreshDue}). Returns undefined when it waited.
   */
  /**
   * Lists every version, pausing after each page as long as the page took.
   *
   * The catalog shares the event loop with every other plugin of the
   * backend, and listing a page is mostly that loop's work (the catalog
   * parses each entity in full). Back to back, pages leave requests that
   * arrive during a scan waiting behind one page after another; with a pause
   * as long as each page, a request waits for at most the page under way.
   * The scan takes twice as long; the time it reports, which paces the
   * refreshes (see isRefreshDue), is the pages' time without the pauses.
   */
  async #listVersions(): Promise<{
    versions: EntityVersion[];
    scanMs: number;
  }> {
    const versions: EntityVersion[] = [];
    let scanMs = 0;
    let pageStarted = Date.now();
    for await (const page of this.reader.listVersions()) {
      const pageMs = Date.now() - pageStarted;
      scanMs += pageMs;
      for (const version of page) {
        versions.push(version);
      }
      await new Promise(resolve => setTimeout(resolve, pageMs));
      pageStarted = Date.now();
    }
    return { versions, scanMs };
  }

  /**
   * Refreshes the index when it is due.
   *
   * @param shutdown - aborted when the backend shuts down (the plugin's
   * lifecycle, not the scheduler's task signal, which a timeout aborts too).
   * A refresh that fails after that was cut short by the shutdown (the
   * catalog answers 503 while it stops), not by the catalog's data: it is
   * neither recorded as a failure nor thrown, so a rolling restart logs no
   * error; the next run, on any replica, starts over.
   */
  async refreshIfDue(
    now: Date = new Date(),
    shutdown?: AbortSignal,
  ): Promise<IndexRefreshResult | undefined> {
    const record = await this.store.refreshRecord();
    if (!isRefreshDue(record, now, this.maxScanShare)) {
      return undefined;
    }
    try {
      return await this.refresh();
    } catch (error) {
      if (shutdown?.aborted) {
        this.logger.info(
          `Identity index refresh stopped, the backend is shutting down: ${stringifyError(
            error,
          )}`,
        );
        return undefined;
      }
      // Recorded for the page, which then says its data is stale instead of
      // showing it as current; the scheduler logs the error itself.
      await this.store
        .recordRefreshFailure(new Date(), stringifyError(error))
        .catch(recordError =>
          this.logger.warn(
            `Could not record the failed identity index refresh: ${stringifyError(
              recordError,
            )}`,
          ),
        );
      throw error;
    }
  }

  async refresh(): Promise<IndexRefreshResult> {
    const started = Date.now();
    const { versions, scanMs } = await this.#listVersions();

    // Catalog reads happen outside the write transaction, so that the API
    // keeps answering while the catalog is slow.
    const indexed = await this.store.write(writer => writer.readVersions());

    const seenUsers = new Set<string>();
    const seenGroups = new Set<string>();
    const changedRefs: string[] = [];
    for (const v of versions) {
      if (v.kind === 'user') {
        seenUsers.add(v.entityRef);
        if (indexed.users.get(v.entityRef) !== v.etag) {
          changedRefs.push(v.entityRef);
        }
      } else {
        seenGroups.add(v.entityRef);
        if (indexed.groups.get(v.entityRef)?.etag !== v.etag) {
          changedRefs.push(v.entityRef);
        }
      }
    }
    const removedUsers = [...indexed.users.keys()].filter(
      r => !seenUsers.has(r),
    );
    const removedGroups = [...indexed.groups.keys()].filter(
      r => !seenGroups.has(r),
    );

    const entities = changedRefs.length
      ? await this.reader.getEntities(changedRefs)
      : [];
    const users: IndexedUser[] = [];
    const groups: Array<
      Omit<IndexedGroupWithDeclarations, 'parentRefs' | 'childRefs'>
    > = [];
    const fetched = new Set<string>();
    for (const entity of entities) {
      const kind = entity.kind.toLocaleLowerCase('en-US');
      if (kind === 'user') {
        const user = toIndexedUser(entity);
        users.push(user);
        fetched.add(user.entityRef);
      } else if (kind === 'group') {
        const group = toIndexedGroup(entity);
        if (group) {
          groups.push(group);
          fetched.add(group.entityRef);
        }
      }
    }
    // Gone between the two reads: treat as removed.
    for (const ref of changedRefs) {
      if (!fetched.has(ref)) {
        seenUsers.delete(ref);
        seenGroups.delete(ref);
        if (indexed.users.has(ref)) {
          removedUsers.push(ref);
        } else if (indexed.groups.has(ref)) {
          removedGroups.push(ref);
        }
      }
    }

    const result = await this.store.write(async writer => {
      const rebuildAll =
        (await writer.readEngineFingerprint()) !== this.engine.fingerprint;
      const nothingChanged =
        !rebuildAll &&
        !users.length &&
        !groups.length &&
        !removedUsers.length &&
        !removedGroups.length;
      if (nothingChanged) {
        await writer.setIndexedAt(new Date(started), scanMs);
        return {
          usersChanged: 0,
          usersRemoved: 0,
          groupsChanged: 0,
          groupsRemoved: 0,
          closuresRebuilt: 0,
        };
      }

      // The engine's graph before and after, to find the groups whose
      // memberships may resolve differently.
      const oldDeclarations = await writer.readGroupDeclarations();
      const newDeclarations = new Map(oldDeclarations);
      removedGroups.forEach(r => newDeclarations.delete(r));
      groups.forEach(g => newDeclarations.set(g.entityRef, g.declarations));
      const { trustedOrigins, maxDepth } = this.engine;
      const oldGraph = assembleGroupGraph(
        oldDeclarations.values(),
        trustedOrigins,
      );
      const newGraph = assembleGroupGraph(
        newDeclarations.values(),
        trustedOrigins,
      );
      const changedGroups = new Set<string>([
        ...removedGroups,
        ...groups.map(g => g.entityRef),
      ]);
      for (const ref of newDeclarations.keys()) {
        if (groupSignature(oldGraph, ref) !== groupSignature(newGraph, ref)) {
          changedGroups.add(ref);
        }
      }

      await writer.removeUsers(removedUsers);
      await writer.removeGroups(removedGroups);
      await writer.upsertUsers(users);
      // Parent and child refs are the edges that count, from the graph.
      const edges = countedEdges(newGraph);
      await writer.upsertGroups(
        groups.map(group => ({
          ...group,
          ...(edges.get(group.entityRef) ?? { parentRefs: [], childRefs: [] }),
        })),
      );
      const movedEdges = new Map<
        string,
        { parentRefs: string[]; childRefs: string[] }
      >();
      for (const [ref, version] of indexed.groups) {
        if (!seenGroups.has(ref) || fetched.has(ref)) {
          continue;
        }
        const e = edges.get(ref) ?? { parentRefs: [], childRefs: [] };
        if (
          e.parentRefs.join() !== version.parentRefs.join() ||
          e.childRefs.join() !== version.childRefs.join()
        ) {
          movedEdges.set(ref, e);
        }
      }
      await writer.updateGroupEdges(movedEdges);

      let affected: Set<string>;
      if (rebuildAll) {
        affected = new Set(seenUsers);
      } else {
        affected = new Set(users.map(u => u.entityRef));
        for (const ref of await writer.readUsersTouching([...changedGroups])) {
          affected.add(ref);
        }
        // Users a changed group lists, before or after the change.
        for (const ref of changedGroups) {
          for (const decl of [
            oldDeclarations.get(ref),
            newDeclarations.get(ref),
          ]) {
            decl?.members.forEach(m => affected.add(m));
          }
        }
      }
      const affectedRefs = [...affected].filter(r => seenUsers.has(r));
      const declarations = new Map(
        users.map(u => [u.entityRef, u.declarations]),
      );
      const unread = affectedRefs.filter(r => !declarations.has(r));
      // Past a third of the users one full read beats many IN lists.
      const read = await writer.readUserDeclarations(
        unread.length > seenUsers.size / 3 ? 'all' : unread,
      );
      const closureRows: ClosureRow[] = [];
      const uncountedRows: UncountedRow[] = [];
      for (const ref of affectedRefs) {
        const resolved = resolveUserMemberships({
          userEntityRef: ref,
          user: declarations.get(ref) ?? read.get(ref),
          graph: newGraph,
          trustedOrigins,
          maxDepth,
        });
        for (const m of resolved.memberships) {
          closureRows.push({
            userRef: ref,
            groupRef: m.groupRef,
            direct: m.direct,
            path: m.path.slice(1),
          });
        }
        for (const u of resolved.uncounted) {
          uncountedRows.push({
            userRef: ref,
            groupRef: u.groupRef,
            reason: u.reason,
            path: u.path,
            declaredBy: u.source.declaredBy,
            origin: u.source.origin,
            directory: u.source.directory,
            reaches: u.reaches,
          });
        }
      }
      await writer.replaceClosure(affectedRefs, closureRows);
      await writer.replaceUncounted(affectedRefs, uncountedRows);

      if (users.length || removedUsers.length) {
        await writer.recomputeDuplicateEmails();
      }
      await writer.recomputeGroupCounts();
      await writer.setEngineFingerprint(this.engine.fingerprint);
      await writer.setIndexedAt(new Date(started), scanMs);

      return {
        usersChanged: users.length,
        usersRemoved: removedUsers.length,
        groupsChanged: groups.length,
        groupsRemoved: removedGroups.length,
        closuresRebuilt: affectedRefs.length,
      };
    });

    if (result.usersChanged || result.usersRemoved || result.groupsChanged) {
      this.logger.info(
        `Identity index refreshed in ${Date.now() - started} ms: ` +
          `${result.usersChanged} users changed, ${result.usersRemoved} removed, ` +
          `${result.groupsChanged} groups changed, ${result.groupsRemoved} removed, ` +
          `${result.closuresRebuilt} membership closures rebuilt`,
      );
    }
    return result;
  }
}
