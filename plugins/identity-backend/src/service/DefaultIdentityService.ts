import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ResponseError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  IdentityGroupDetail,
  IdentityGroupTree,
  IdentityOffboardPreview,
  IdentityOffboardResult,
  IdentityPage,
  IdentitySource,
  IdentityStatusFlag,
  IdentitySummary,
  IdentityUser,
  IdentitySourceConflict,
  IdentityUserDetail,
  identitySources,
} from '@identity-governance/plugin-identity-common';
import {
  IdentityStore,
  ListedUser,
  PageRequest,
  StoredUser,
  UserFilter,
  UserSort,
} from '../store/IdentityStore';
import { IdentityExportRow, IdentityService } from './IdentityService';
import { ProvisioningHistorySource } from './ProvisioningHistorySource';
import { ScimOffboarder } from './ScimOffboarder';
import {
  ANNOTATION_SCIM_ID,
  ANNOTATION_SCIM_IDP,
} from '@identity-governance/plugin-scim-node';
import { SourceConflictSource } from './SourceConflictSource';
import { buildGroupTree } from './buildGroupTree';
import { describeOffboarding } from './describeOffboarding';

const EXPORT_BATCH = 1000;

function flagsOf(user: ListedUser): IdentityStatusFlag[] {
  const flags: IdentityStatusFlag[] = [];
  if (user.orphaned) flags.push('orphaned');
  if (user.processingErrors) flags.push('processingErrors');
  if (user.noGroups) flags.push('noGroups');
  if (user.duplicateEmail) flags.push('duplicateEmail');
  if (user.deactivated) flags.push('deactivated');
  if (user.uncountedMemberships) flags.push('uncountedMemberships');
  return flags;
}

function toApiUser(user: ListedUser, directGroups: string[]): IdentityUser {
  return {
    entityRef: user.entityRef,
    namespace: user.namespace,
    name: user.name,
    displayName: user.displayName,
    email: user.email,
    directGroups,
    inheritedGroupCount: user.inheritedGroupCount,
    source: user.source,
    flags: flagsOf(user),
  };
}

/** Turns the catalog's refusals into the errors the API documents. */
function translateCatalogError(error: unknown, what: string): never {
  if (
    error instanceof ResponseError ||
    (error as any)?.name === 'ResponseError'
  ) {
    const status = (error as ResponseError).statusCode;
    if (status === 403) {
      throw new NotAllowedError(`The catalog refused to ${what}`);
    }
    if (status === 404) {
      throw new NotFoundError(`The catalog has no such entity to ${what}`);
    }
  }
  throw error;
}

export interface DefaultIdentityServiceOptions {
  store: IdentityStore;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  provisioning: ProvisioningHistorySource;
  scimOffboarder?: ScimOffboarder;
  /** SCIM records held back as source conflicts; none without SCIM. */
  conflicts?: SourceConflictSource;
  /** Asks the indexer for a refresh soon, e.g. after a catalog refresh. */
  requestIndexRefresh?: () => Promise<void>;
  /**
   * `identity.refresh.staleAfter`: the summary says the index is stale once
   * no refresh has finished for this long.
   */
  staleAfterMs: number;
  /** The clock, for tests. */
  now?: () => Date;
}

export class DefaultIdentityService implements IdentityService {
  constructor(private readonly options: DefaultIdentityServiceOptions) {}

  async listUsers(
    filter: UserFilter,
    sort: UserSort,
    page: PageRequest,
  ): Promise<IdentityPage<IdentityUser>> {
    const { items, totalItems } = await this.options.store.queryUsers(
      filter,
      sort,
      page,
    );
    const direct = await this.options.store.getDirectGroups(
      items.map(u => u.entityRef),
    );
    return {
      items: items.map(u => toApiUser(u, direct.get(u.entityRef) ?? [])),
      totalItems,
      offset: page.offset,
      limit: page.limit,
    };
  }

  async getUser(entityRef: string): Promise<IdentityUserDetail> {
    const user = await this.requireUser(entityRef);
    const { store } = this.options;
    const [direct, closure, uncounted, ancestry, provisioning, conflicts] =
      await Promise.all([
        store.getDirectGroups([entityRef]),
        store.getClosure([entityRef]),
        store.getUncounted(entityRef),
        this.readAncestry(entityRef),
        this.options.provisioning.getProvisioning(user),
        this.conflictsOf(entityRef),
      ]);
    const memberships = closure.get(entityRef) ?? [];
    const names = await store.getGroupDisplayNames(
      memberships.map(m => m.groupRef),
    );
    return {
      ...toApiUser(user, direct.get(entityRef) ?? []),
      uid: user.uid,
      memberships: memberships.map(m => ({
        groupRef: m.groupRef,
        groupDisplayName: names.get(m.groupRef),
        direct: m.direct,
        path: [entityRef, ...m.path],
      })),
      // The held memberships (reason conflict) among them come from the
      // scim plugin at each index refresh, as the flag that lists the user.
      uncountedMemberships: uncounted.map(({ userRef, ...u }) => u),
      ...(conflicts.length ? { sourceConflicts: conflicts } : {}),
      provenance: {
        managedByLocation: user.managedByLocation,
        originLocation: user.originLocation,
        ancestry,
        providerAnnotations: user.details.annotations,
        processingErrors: user.details.errors,
        provisioning,
      },
    };
  }

  async listConflicts(): Promise<IdentitySourceConflict[]> {
    return (await this.options.conflicts?.listConflicts()) ?? [];
  }

  /**
   * The conflicts over one entity ref. The detail shows without them when
   * the scim plugin cannot be read, as it does without its history.
   */
  private async conflictsOf(
    entityRef: string,
  ): Promise<IdentitySourceConflict[]> {
    try {
      // The scim plugin filters, so a user's detail does not read every
      // conflict there is.
      return (await this.options.conflicts?.listConflicts({ entityRef })) ?? [];
    } catch (error) {
      this.options.logger.warn(
        `Could not read the SCIM source conflicts of ${entityRef}: ${
          (error as Error)?.message ?? error
        }`,
      );
      return [];
    }
  }

  async getGroupTree(): Promise<IdentityGroupTree> {
    return buildGroupTree(await this.options.store.getGroupNodes());
  }

  async getGroup(
    entityRef: string,
    page: PageRequest,
  ): Promise<IdentityGroupDetail> {
    const group = await this.options.store.getGroup(entityRef);
    if (!group) {
      throw new NotFoundError(`No group ${entityRef} in the identity index`);
    }
    const members = await this.options.store.queryGroupMembers(entityRef, page);
    return {
      entityRef: group.entityRef,
      namespace: group.namespace,
      name: group.name,
      displayName: group.displayName,
      parentRefs: group.parentRefs,
      childRefs: group.childRefs,
      directMemberCount: group.directMemberCount,
      totalMemberCount: group.totalMemberCount,
      source: group.source,
      managedByLocation: group.managedByLocation,
      members: {
        items: members.items.map(m => ({
          userRef: m.user.entityRef,
          name: m.user.name,
          displayName: m.user.displayName,
          email: m.user.email,
          direct: m.direct,
          path: [m.user.entityRef, ...m.path],
        })),
        totalItems: members.totalItems,
        offset: page.offset,
        limit: page.limit,
      },
    };
  }

  async getSummary(): Promise<IdentitySummary> {
    const summary = await this.options.store.summary();
    const bySource = Object.fromEntries(
      identitySources.map(s => [s, summary.bySource[s] ?? 0]),
    ) as Record<IdentitySource, number>;
    const now = (this.options.now?.() ?? new Date()).getTime();
    const stale =
      !summary.indexedAt ||
      summary.refreshFailure !== undefined ||
      now - Date.parse(summary.indexedAt) > this.options.staleAfterMs;
    return { ...summary, bySource, stale };
  }

  async *exportRows(filter: UserFilter): AsyncIterable<IdentityExportRow[]> {
    for await (const users of this.options.store.streamUsers(
      filter,
      EXPORT_BATCH,
    )) {
      const closure = await this.options.store.getClosure(
        users.map(u => u.entityRef),
      );
      const rows: IdentityExportRow[] = [];
      for (const user of users) {
        const displayName = user.displayName ?? '';
        const email = user.email ?? '';
        const flags = flagsOf(user).join(' ');
        const managedByLocation = user.managedByLocation ?? '';
        const originLocation = user.originLocation ?? '';
        const row = (
          groupRef: string,
          membership: IdentityExportRow['membership'],
          path: string,
        ): IdentityExportRow => ({
          userRef: user.entityRef,
          name: user.name,
          displayName,
          email,
          source: user.source,
          flags,
          managedByLocation,
          originLocation,
          groupRef,
          membership,
          path,
        });
        const memberships = closure.get(user.entityRef) ?? [];
        if (!memberships.length) {
          rows.push(row('', '', ''));
        }
        for (const m of memberships) {
          rows.push(
            row(
              m.groupRef,
              m.direct ? 'direct' : 'inherited',
              [user.entityRef, ...m.path].join(' > '),
            ),
          );
        }
      }
      yield rows;
    }
  }

  async previewOffboard(entityRef: string): Promise<IdentityOffboardPreview> {
    const user = await this.requireUser(entityRef);
    return describeOffboarding(user, Boolean(this.options.scimOffboarder));
  }

  async offboard(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<IdentityOffboardResult> {
    const user = await this.requireUser(entityRef);
    const preview = describeOffboarding(
      user,
      Boolean(this.options.scimOffboarder),
    );
    if (preview.action === 'scimDeactivate') {
      const idp = user.details.annotations[ANNOTATION_SCIM_IDP];
      const scimId = user.details.annotations[ANNOTATION_SCIM_ID];
      if (
        !this.options.scimOffboarder ||
        !preview.supported ||
        !idp ||
        !scimId
      ) {
        throw new NotImplementedError(preview.message);
      }
      await this.options.scimOffboarder.deactivate({
        entityRef,
        idp,
        scimId,
        requestedBy: this.requesterOf(credentials),
      });
      // The SCIM module takes the entity out of the catalog and keeps it
      // out; the index would follow at its next refresh, the page at once.
      await this.removeFromIndex(entityRef);
    } else {
      // The uid may have changed since the index last saw the entity.
      const entity = await this.options.catalog.getEntityByRef(entityRef, {
        credentials: await this.options.auth.getOwnServiceCredentials(),
      });
      if (!entity?.metadata.uid) {
        throw new NotFoundError(`The catalog has no entity ${entityRef}`);
      }
      try {
        // The router has checked identity.user.offboard and the catalog's
        // catalog.entity.delete for this caller and this entity.
        await this.options.catalog.removeEntityByUid(entity.metadata.uid, {
          credentials: await this.options.auth.getOwnServiceCredentials(),
        });
      } catch (error) {
        translateCatalogError(error, `delete ${entityRef}`);
      }
      await this.removeFromIndex(entityRef);
    }
    this.options.logger.info(
      `Offboarded ${entityRef} (${preview.action}); will return: ${preview.willReturn}`,
    );
    return {
      entityRef,
      action: preview.action,
      willReturn: preview.willReturn,
      message: preview.message,
    };
  }

  async refreshUser(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    await this.requireUser(entityRef);
    try {
      await this.options.catalog.refreshEntity(entityRef, { credentials });
    } catch (error) {
      translateCatalogError(error, `refresh ${entityRef}`);
    }
    await this.options.requestIndexRefresh?.();
  }

  private async removeFromIndex(entityRef: string): Promise<void> {
    await this.options.store.write(async writer => {
      await writer.removeUsers([entityRef]);
      await writer.recomputeDuplicateEmails();
      await writer.recomputeGroupCounts();
    });
  }

  /** Who asked, for the SCIM module's history: the user, else the service. */
  private requesterOf(credentials: BackstageCredentials): string | undefined {
    const { auth } = this.options;
    if (auth.isPrincipal(credentials, 'user')) {
      return credentials.principal.userEntityRef;
    }
    if (auth.isPrincipal(credentials, 'service')) {
      return credentials.principal.subject;
    }
    return undefined;
  }

  private async requireUser(entityRef: string): Promise<StoredUser> {
    const user = await this.options.store.getUser(entityRef);
    if (!user) {
      throw new NotFoundError(`No user ${entityRef} in the identity index`);
    }
    return user;
  }

  private async readAncestry(
    entityRef: string,
  ): Promise<Array<{ entityRef: string; parentEntityRefs: string[] }>> {
    try {
      const response = await this.options.catalog.getEntityAncestors(
        { entityRef },
        { credentials: await this.options.auth.getOwnServiceCredentials() },
      );
      return response.items.map(item => ({
        entityRef: `${item.entity.kind}:${
          item.entity.metadata.namespace ?? 'default'
        }/${item.entity.metadata.name}`.toLocaleLowerCase('en-US'),
        parentEntityRefs: item.parentEntityRefs,
      }));
    } catch (error) {
      // Ancestry is a nicety: the rest of the detail stands without it.
      this.options.logger.warn(
        `Could not read the ancestry of ${entityRef}: ${
          (error as Error).message
        }`,
      );
      return [];
    }
  }
}
