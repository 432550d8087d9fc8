import { LoggerService } from '@backstage/backend-plugin-api';
import {
  IdentityStore,
  IndexedGroup,
  IndexedUser,
} from '../store/IdentityStore';
import { EntityVersion, IdentityCatalogReader } from './IdentityCatalogReader';
import { computeGroupAncestors } from './computeGroupAncestors';
import { computeUserClosure } from './computeUserClosure';
import { isRefreshDue } from './isRefreshDue';
import { toIndexedGroup, toIndexedUser } from './toIndexedEntity';

/** What one refresh did. */
export interface IndexRefreshResult {
  usersChanged: number;
  usersRemoved: number;
  groupsChanged: number;
  groupsRemoved: number;
  /** Users whose transitive memberships were recomputed. */
  closuresRebuilt: number;
}

function ancestorsSignature(ancestors: Map<string, string[]> | undefined) {
  if (!ancestors) {
    return '';
  }
  return [...ancestors.values()]
    .map(path => path.join('>'))
    .sort()
    .join('|');
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

  async refreshIfDue(
    now: Date = new Date(),
  ): Promise<IndexRefreshResult | undefined> {
    const record = await this.store.refreshRecord();
    if (!isRefreshDue(record, now, this.maxScanShare)) {
      return undefined;
    }
    return this.refresh();
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
    const directGroups = new Map<string, string[]>();
    const groups: IndexedGroup[] = [];
    const fetched = new Set<string>();
    for (const entity of entities) {
      const kind = entity.kind.toLocaleLowerCase('en-US');
      if (kind === 'user') {
        const mapped = toIndexedUser(entity);
        users.push(mapped.user);
        directGroups.set(mapped.user.entityRef, mapped.directGroups);
        fetched.add(mapped.user.entityRef);
      } else if (kind === 'group') {
        const group = toIndexedGroup(entity);
        groups.push(group);
        fetched.add(group.entityRef);
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
      const nothingChanged =
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

      await writer.removeUsers(removedUsers);
      await writer.removeGroups(removedGroups);
      await writer.upsertUsers(users, directGroups);
      await writer.upsertGroups(groups);

      // The group graph before and after, to find groups whose ancestry moved.
      const oldParents = new Map(
        [...indexed.groups].map(([ref, g]) => [ref, g.parentRefs]),
      );
      const newParents = new Map(oldParents);
      removedGroups.forEach(r => newParents.delete(r));
      groups.forEach(g => newParents.set(g.entityRef, g.parentRefs));

      const oldAncestors = computeGroupAncestors(oldParents);
      const newAncestors = computeGroupAncestors(newParents);
      const movedGroups = new Set<string>([...removedGroups]);
      for (const ref of newParents.keys()) {
        if (
          !oldParents.has(ref) ||
          ancestorsSignature(oldAncestors.get(ref)) !==
            ancestorsSignature(newAncestors.get(ref))
        ) {
          movedGroups.add(ref);
        }
      }

      const affected = new Set(users.map(u => u.entityRef));
      const totalUsers = seenUsers.size;
      let memberships: Map<string, string[]>;
      if (movedGroups.size) {
        for (const ref of await writer.readDirectMembers([...movedGroups])) {
          affected.add(ref);
        }
      }
      // Past a third of the users one full read beats many IN lists.
      if (affected.size > totalUsers / 3) {
        memberships = await writer.readDirectGroups('all');
      } else {
        memberships = await writer.readDirectGroups([...affected]);
      }
      const affectedRefs = [...affected].filter(r => seenUsers.has(r));
      const rows = affectedRefs.flatMap(ref =>
        computeUserClosure(ref, memberships.get(ref) ?? [], newAncestors),
      );
      await writer.replaceClosure(affectedRefs, rows);

      if (users.length || removedUsers.length) {
        await writer.recomputeDuplicateEmails();
      }
      await writer.recomputeGroupCounts();
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
