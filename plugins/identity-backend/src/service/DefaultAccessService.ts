import {
  AccessDecidedBy,
  AccessExplanation,
  CheckAccessRequest,
  DryRunPermissionChange,
  DryRunResponse,
  DryRunUserChange,
  GuardedPermissionInfo,
  IdentityUser,
  UserAccessResponse,
  WhoCanItem,
  WhoCanResponse,
} from '@identity-governance/plugin-identity-common';
import {
  AccessExplainerService,
  GrantingGroup,
  GrantingGroups,
  MembershipResolver,
} from '@identity-governance/plugin-identity-node';
import { AccessListedUser, AccessStore } from '../store/AccessStore';
import { ClosureRow, IdentityStore, PageRequest } from '../store/IdentityStore';
import { AccessService, WhoCanExportRow } from './AccessService';
import { parsePolicyProposal } from './parsePolicyProposal';

const EXPORT_BATCH = 1000;
/** Users listed per permission for gains and for losses in a dry-run. */
export const DRY_RUN_LIST_LIMIT = 100;

export interface DefaultAccessServiceOptions {
  explainer: AccessExplainerService;
  resolver: MembershipResolver;
  accessStore: AccessStore;
  identityStore: Pick<IdentityStore, 'getDirectGroups'>;
}

/** A user's grant as the index shows it: the group and the path to it. */
interface IndexGrant {
  row: ClosureRow;
  decidedBy: AccessDecidedBy;
}

/**
 * The grant the policy would pick among a user's index memberships: the
 * first tier that holds one of them (admin groups, then each matching rule
 * in config order, as `grantingGroups` lists them), its nearest group within
 * the tier (the engine lists memberships nearest first).
 */
function pickGrant(
  grants: GrantingGroup[],
  rows: ClosureRow[] | undefined,
): IndexGrant | undefined {
  if (!rows?.length) {
    return undefined;
  }
  for (let i = 0; i < grants.length; ) {
    const tier = grants[i].decidedBy;
    const groups = new Set<string>();
    for (
      ;
      i < grants.length &&
      grants[i].decidedBy.kind === tier.kind &&
      grants[i].decidedBy.rule === tier.rule;
      i += 1
    ) {
      groups.add(grants[i].group);
    }
    // Rows come shortest path first.
    const row = rows.find(r => groups.has(r.groupRef));
    if (row) {
      const decidedBy: AccessDecidedBy = {
        kind: tier.kind,
        group: row.groupRef,
      };
      if (tier.rule) {
        decidedBy.rule = tier.rule;
      }
      return { row, decidedBy };
    }
  }
  return undefined;
}

function groupsOf(granting: GrantingGroups): string[] {
  return [...new Set(granting.grants.map(g => g.group))];
}

function toApiUser(
  user: AccessListedUser,
  directGroups: string[],
): IdentityUser {
  return {
    entityRef: user.entityRef,
    namespace: user.namespace,
    name: user.name,
    displayName: user.displayName,
    email: user.email,
    directGroups,
    inheritedGroupCount: user.inheritedGroupCount,
    source: user.source,
    flags: user.flags,
  };
}

function describeDecidedBy(decidedBy: AccessDecidedBy): string {
  return decidedBy.rule ? `rule ${decidedBy.rule}` : decidedBy.kind;
}

export class DefaultAccessService implements AccessService {
  constructor(private readonly options: DefaultAccessServiceOptions) {}

  async explainUser(userEntityRef: string): Promise<UserAccessResponse> {
    const { explainer, resolver } = this.options;
    const guarded = await explainer.guardedPermissions();
    // Asked in one turn: the policy resolves the user's memberships once.
    const [items, memberships] = await Promise.all([
      Promise.all(
        guarded.map(p =>
          explainer.explain({ userEntityRef, permission: p.name }),
        ),
      ),
      resolver
        .getUserMemberships(userEntityRef, { allowStale: true })
        .catch(() => undefined),
    ]);
    return {
      userEntityRef,
      userFound: memberships?.userFound ?? false,
      items,
    };
  }

  check(request: CheckAccessRequest): Promise<AccessExplanation> {
    return this.options.explainer.explain(request);
  }

  guardedPermissions(): Promise<GuardedPermissionInfo[]> {
    return this.options.explainer.guardedPermissions();
  }

  async whoCan(
    permission: string,
    query: { q?: string } & PageRequest,
  ): Promise<WhoCanResponse> {
    const granting = await this.options.explainer.grantingGroups(permission);
    const response: WhoCanResponse = {
      permission: granting.permission,
      guarded: granting.guarded,
      everyone: granting.everyone,
      items: [],
      totalItems: 0,
      offset: query.offset,
      limit: query.limit,
    };
    if (granting.conditional.length) {
      response.conditional = granting.conditional;
    }
    if (granting.everyone) {
      return response;
    }
    const groups = groupsOf(granting);
    const { items: users, totalItems } =
      await this.options.accessStore.queryUsersInGroups(groups, query.q, {
        offset: query.offset,
        limit: query.limit,
      });
    const refs = users.map(u => u.entityRef);
    const [direct, rows] = await Promise.all([
      this.options.identityStore.getDirectGroups(refs),
      this.options.accessStore.getMembershipsIn(refs, groups),
    ]);
    response.totalItems = totalItems;
    response.items = users.flatMap((user): WhoCanItem[] => {
      const grant = pickGrant(granting.grants, rows.get(user.entityRef));
      // Gone from the group between the two reads: an index refresh.
      if (!grant) {
        return [];
      }
      return [
        {
          user: toApiUser(user, direct.get(user.entityRef) ?? []),
          groupRef: grant.row.groupRef,
          path: [user.entityRef, ...grant.row.path],
          decidedBy: grant.decidedBy,
        },
      ];
    });
    return response;
  }

  async whoCanExport(
    permission: string,
  ): Promise<AsyncIterable<WhoCanExportRow[]>> {
    const granting = await this.options.explainer.grantingGroups(permission);
    const { accessStore } = this.options;
    const groups = granting.everyone ? [] : groupsOf(granting);
    return (async function* rows() {
      for await (const users of accessStore.streamUsersInGroups(
        groups,
        EXPORT_BATCH,
      )) {
        const memberships = await accessStore.getMembershipsIn(
          users.map(u => u.entityRef),
          groups,
        );
        yield users.flatMap((user): WhoCanExportRow[] => {
          const grant = pickGrant(
            granting.grants,
            memberships.get(user.entityRef),
          );
          if (!grant) {
            return [];
          }
          return [
            {
              userRef: user.entityRef,
              name: user.name,
              displayName: user.displayName ?? '',
              email: user.email ?? '',
              groupRef: grant.row.groupRef,
              path: [user.entityRef, ...grant.row.path].join(' -> '),
              decidedBy: describeDecidedBy(grant.decidedBy),
            },
          ];
        });
      }
    })();
  }

  async dryRun(yaml: string): Promise<DryRunResponse> {
    const { explainer, accessStore } = this.options;
    const proposal = parsePolicyProposal(yaml);
    const proposed = await explainer.withProposedConfig(proposal.block);

    const names = [
      ...new Set([
        ...(await explainer.guardedPermissions()).map(p => p.name),
        ...proposed.explainer.guardedPermissions().map(p => p.name),
      ]),
    ].sort();

    // Permissions share granting groups: each set is read once.
    const sets = new Map<string, Promise<Set<string>>>();
    const usersAllowed = (granting: GrantingGroups): Promise<Set<string>> => {
      const groups = groupsOf(granting).sort();
      const key = granting.everyone ? '*' : groups.join(' ');
      let set = sets.get(key);
      if (!set) {
        set = granting.everyone
          ? accessStore.getAllUserRefs()
          : accessStore.getUserRefsInGroups(groups);
        sets.set(key, set);
      }
      return set;
    };

    const permissions: DryRunPermissionChange[] = [];
    for (const name of names) {
      const now = await explainer.grantingGroups(name, { allowUnknown: true });
      const then = proposed.explainer.grantingGroups(name, {
        allowUnknown: true,
      });
      const [allowedNow, allowedThen] = await Promise.all([
        usersAllowed(now),
        usersAllowed(then),
      ]);
      const gains = [...allowedThen].filter(r => !allowedNow.has(r)).sort();
      const losses = [...allowedNow].filter(r => !allowedThen.has(r)).sort();
      const change: DryRunPermissionChange = {
        permission: name,
        guardedNow: now.guarded,
        guardedProposed: then.guarded,
        gains: await this.describeChanges(gains, then),
        losses: await this.describeChanges(losses, now),
        gainCount: gains.length,
        lossCount: losses.length,
      };
      if (now.conditional.length || then.conditional.length) {
        change.conditionalNow = now.conditional;
        change.conditionalProposed = then.conditional;
      }
      permissions.push(change);
    }

    return {
      permissions,
      listLimit: DRY_RUN_LIST_LIMIT,
      notSimulated: [...proposed.notSimulated, ...proposal.otherKeys],
    };
  }

  /** The first users of a gain or loss, with the grant it rests on. */
  private async describeChanges(
    userRefs: string[],
    granting: GrantingGroups,
  ): Promise<DryRunUserChange[]> {
    const refs = userRefs.slice(0, DRY_RUN_LIST_LIMIT);
    if (!refs.length) {
      return [];
    }
    const groups = granting.everyone ? [] : groupsOf(granting);
    const [users, memberships] = await Promise.all([
      this.options.accessStore.getUsers(refs),
      this.options.accessStore.getMembershipsIn(refs, groups),
    ]);
    return users.map(user => {
      const grant = pickGrant(granting.grants, memberships.get(user.entityRef));
      const change: DryRunUserChange = {
        userRef: user.entityRef,
        name: user.name,
        path: grant ? [user.entityRef, ...grant.row.path] : [],
        decidedBy: grant?.decidedBy ?? { kind: 'default' },
      };
      if (user.displayName) change.displayName = user.displayName;
      if (user.email) change.email = user.email;
      return change;
    });
  }
}
