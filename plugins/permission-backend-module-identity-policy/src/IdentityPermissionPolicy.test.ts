import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  MembershipResolver,
  UserMemberships,
} from '@identity-governance/plugin-identity-node';
import { IdentityPermissionPolicy } from './IdentityPermissionPolicy';
import { readIdentityPolicyConfig } from './readIdentityPolicyConfig';

const memberships: Record<string, string[][]> = {
  'user:default/ada': [['group:default/platform-admins']],
  'user:default/nina': [
    ['group:default/emea'],
    ['group:default/emea', 'group:default/platform-admins'],
  ],
  'user:default/sam': [['group:default/sre']],
  'user:default/oscar': [['group:default/squad-a']],
};

const resolver: MembershipResolver = {
  async getUserMemberships(ref): Promise<UserMemberships> {
    if (ref === 'user:default/broken') {
      throw new Error('catalog unavailable');
    }
    const paths = memberships[ref] ?? [];
    return {
      userEntityRef: ref,
      userFound: ref in memberships,
      memberships: paths.map(p => ({
        groupRef: p[p.length - 1],
        direct: p.length === 1,
        path: [ref, ...p],
        edges: [],
      })),
      groupRefs: new Set(paths.map(p => p[p.length - 1])),
      truncated: false,
      ignored: [],
      uncounted: [],
      fresh: true,
    };
  },
  async verifyPath() {
    throw new Error('fresh answers need no verification');
  },
};

function userOf(ref: string): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(ref),
    info: { userEntityRef: ref, ownershipEntityRefs: [ref] },
  };
}

function createPolicy(identityPolicy: object = {}) {
  const logger = mockServices.logger.mock();
  const auditor = mockServices.auditor.mock();
  const policy = new IdentityPermissionPolicy({
    config: readIdentityPolicyConfig(
      mockServices.rootConfig({
        data: {
          identityPolicy: {
            adminGroups: ['group:default/platform-admins'],
            rules: [
              {
                permission: 'catalog.entity.refresh',
                allowGroups: ['group:default/sre'],
              },
            ],
            ...identityPolicy,
          },
        },
      }),
    ),
    resolver,
    logger,
    auditor,
  });
  return { policy, logger, auditor };
}

/** The decision lines a policy's logger was given, their fields. */
function decisionLines(logger: ReturnType<typeof mockServices.logger.mock>) {
  return logger.info.mock.calls
    .filter(([message]) => message === 'permission.policy-decision')
    .map(([, fields]) => fields);
}

describe('IdentityPermissionPolicy', () => {
  it('allows admins, direct and nested, every guarded permission', async () => {
    const { policy } = createPolicy();
    for (const who of ['user:default/ada', 'user:default/nina']) {
      const decision = await policy.handle(
        { permission: catalogEntityDeletePermission },
        userOf(who),
      );
      expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('allows groups named by a rule, for that permission only', async () => {
    const { policy } = createPolicy();
    const sam = userOf('user:default/sam');
    expect(
      await policy.handle({ permission: catalogEntityRefreshPermission }, sam),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle({ permission: catalogEntityDeletePermission }, sam),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it('denies guarded permissions to ordinary and unauthenticated users', async () => {
    const { policy, logger, auditor } = createPolicy();
    expect(
      await policy.handle(
        { permission: catalogLocationCreatePermission },
        userOf('user:default/oscar'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle({ permission: catalogEntityDeletePermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
    // One line per guarded decision, and nothing else recorded.
    expect(decisionLines(logger)).toEqual([
      {
        user: 'user:default/oscar',
        permission: 'catalog.location.create',
        resourceRef: undefined,
        result: AuthorizeResult.DENY,
        reason: 'not in an allowed group',
      },
      {
        user: 'unauthenticated',
        permission: 'catalog.entity.delete',
        resourceRef: undefined,
        result: AuthorizeResult.DENY,
        reason: 'unauthenticated',
      },
    ]);
    expect(auditor.createEvent).not.toHaveBeenCalled();
  });

  it('records decisions as audit events with decisionRecords: auditor', async () => {
    const { policy, logger, auditor } = createPolicy({
      decisionRecords: 'auditor',
    });
    expect(
      await policy.handle(
        { permission: catalogLocationCreatePermission },
        userOf('user:default/oscar'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle({ permission: catalogEntityDeletePermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(auditor.createEvent).toHaveBeenLastCalledWith({
      eventId: 'policy-decision',
      severityLevel: 'medium',
      request: undefined,
      meta: {
        user: 'unauthenticated',
        permission: 'catalog.entity.delete',
        resourceRef: undefined,
        result: AuthorizeResult.DENY,
        reason: 'unauthenticated',
      },
    });
    // One record per decision: the decision is complete when recorded.
    expect(auditor.createEvent).toHaveBeenCalledTimes(2);
    for (const { value } of auditor.createEvent.mock.results) {
      const event = await value;
      expect(event.success).not.toHaveBeenCalled();
      expect(event.fail).not.toHaveBeenCalled();
    }
    expect(decisionLines(logger)).toEqual([]);
  });

  it('allows unguarded permissions to signed-in users only, by default', async () => {
    const { policy, logger } = createPolicy();
    expect(
      await policy.handle(
        { permission: catalogEntityReadPermission },
        userOf('user:default/oscar'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle({ permission: catalogEntityReadPermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(decisionLines(logger)).toEqual([]);
  });

  it('applies a deny default decision to unguarded permissions, rules still granting', async () => {
    const { policy } = createPolicy({
      defaultDecision: 'deny',
      rules: [{ action: 'read', allowGroups: ['group:default/squad-a'] }],
    });
    expect(
      await policy.handle(
        { permission: catalogEntityReadPermission },
        userOf('user:default/sam'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policy.handle(
        { permission: catalogEntityReadPermission },
        userOf('user:default/oscar'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('answers owners with a catalog condition over their resolved groups', async () => {
    const { policy } = createPolicy({
      rules: [
        { resourceType: 'catalog-entity', action: 'delete', allowOwners: true },
      ],
    });
    expect(
      await policy.handle(
        { permission: catalogEntityDeletePermission },
        userOf('user:default/nina'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle(
        { permission: catalogEntityDeletePermission },
        userOf('user:default/oscar'),
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/oscar', 'group:default/squad-a'] },
      },
    });
  });

  it('fails closed, and logs, when memberships cannot be resolved', async () => {
    const { policy, logger } = createPolicy();
    expect(
      await policy.handle(
        { permission: catalogEntityDeletePermission },
        userOf('user:default/broken'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('identity-policy decisions are failing'),
      expect.objectContaining({ error: 'Error: catalog unavailable' }),
    );
    // An outage is one log line, not one per decision.
    expect(
      await policy.handle(
        { permission: catalogEntityDeletePermission },
        userOf('user:default/broken'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(decisionLines(logger)).toEqual([
      expect.objectContaining({
        user: 'unknown',
        result: AuthorizeResult.DENY,
        reason: expect.stringContaining('error while deciding'),
      }),
      expect.objectContaining({ result: AuthorizeResult.DENY }),
    ]);
  });

  it('keeps its decision when the audit record cannot be written, and says so', async () => {
    const { policy, logger, auditor } = createPolicy({
      decisionRecords: 'auditor',
    });
    auditor.createEvent.mockRejectedValue(new Error('audit sink down'));
    expect(
      await policy.handle(
        { permission: catalogEntityDeletePermission },
        userOf('user:default/ada'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(logger.error).toHaveBeenCalledWith(
      'identity-policy could not record a decision',
      {
        permission: 'catalog.entity.delete',
        result: AuthorizeResult.ALLOW,
        error: 'Error: audit sink down',
      },
    );
  });

  it('keeps its decision when the decision line cannot be written, and says so', async () => {
    const { policy, logger } = createPolicy();
    logger.info.mockImplementation(() => {
      throw new Error('transport down');
    });
    expect(
      await policy.handle(
        { permission: catalogEntityDeletePermission },
        userOf('user:default/ada'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(logger.error).toHaveBeenCalledWith(
      'identity-policy could not record a decision',
      {
        permission: 'catalog.entity.delete',
        result: AuthorizeResult.ALLOW,
        error: 'Error: transport down',
      },
    );
  });

  it('ignores sign-in claims: only the catalog says who is an admin', async () => {
    const { policy } = createPolicy();
    const stale: PolicyQueryUser = {
      credentials: mockCredentials.user('user:default/oscar'),
      info: {
        userEntityRef: 'user:default/oscar',
        ownershipEntityRefs: ['group:default/platform-admins'],
      },
    };
    expect(
      await policy.handle({ permission: catalogEntityDeletePermission }, stale),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  describe('stale user entities', () => {
    /**
     * Answers stale reads from `stale` and fresh reads from `fresh`;
     * `verifyPath` says whether a path holds now.
     */
    function twoTimeResolver(
      stale: string[],
      fresh: string[],
      pathHolds = false,
    ) {
      const calls: string[] = [];
      const answer = (ref: string, groups: string[], isFresh: boolean) => ({
        userEntityRef: ref,
        userFound: true,
        memberships: groups.map(g => ({
          groupRef: g,
          direct: true,
          path: [ref, g],
          edges: [],
        })),
        groupRefs: new Set(groups),
        truncated: false,
        ignored: [],
        uncounted: [],
        fresh: isFresh,
      });
      const staleResolver: MembershipResolver = {
        async getUserMemberships(ref, options) {
          calls.push(options?.allowStale ? 'stale' : 'fresh');
          return options?.allowStale
            ? answer(ref, stale, false)
            : answer(ref, fresh, true);
        },
        async verifyPath(path) {
          calls.push(`verify ${path.join(' ')}`);
          return pathHolds;
        },
      };
      return { staleResolver, calls };
    }

    function policyWith(res: MembershipResolver, identityPolicy = {}) {
      return new IdentityPermissionPolicy({
        config: readIdentityPolicyConfig(
          mockServices.rootConfig({
            data: {
              identityPolicy: {
                adminGroups: ['group:default/platform-admins'],
                ...identityPolicy,
              },
            },
          }),
        ),
        resolver: res,
        logger: mockServices.logger.mock(),
      });
    }

    it('denies on stale memberships without reloading anything', async () => {
      const { staleResolver, calls } = twoTimeResolver(
        ['group:default/squad-a'],
        ['group:default/platform-admins'],
      );
      const decision = await policyWith(staleResolver).handle(
        { permission: catalogEntityDeletePermission },
        userOf('user:default/oscar'),
      );
      expect(decision.result).toBe(AuthorizeResult.DENY);
      expect(calls).toEqual(['stale']);
    });

    it('allows on stale memberships only once the grant path holds now', async () => {
      const { staleResolver, calls } = twoTimeResolver(
        ['group:default/platform-admins'],
        [],
        true,
      );
      const decision = await policyWith(staleResolver).handle(
        { permission: catalogEntityDeletePermission },
        userOf('user:default/ada'),
      );
      expect(decision.result).toBe(AuthorizeResult.ALLOW);
      expect(calls).toEqual([
        'stale',
        'verify user:default/ada group:default/platform-admins',
      ]);
    });

    it('decides again on fresh memberships when the grant path no longer holds: a removed admin is denied', async () => {
      const { staleResolver, calls } = twoTimeResolver(
        ['group:default/platform-admins'],
        ['group:default/squad-a'],
        false,
      );
      const decision = await policyWith(staleResolver).handle(
        { permission: catalogEntityDeletePermission },
        userOf('user:default/rita'),
      );
      expect(decision.result).toBe(AuthorizeResult.DENY);
      expect(calls).toEqual([
        'stale',
        'verify user:default/rita group:default/platform-admins',
        'fresh',
      ]);
    });

    it('hands owners a conditional decision only from fresh memberships', async () => {
      const { staleResolver, calls } = twoTimeResolver(
        ['group:default/old-team'],
        ['group:default/new-team'],
      );
      const decision = await policyWith(staleResolver, {
        rules: [{ permission: 'catalog.entity.delete', allowOwners: true }],
      }).handle(
        { permission: catalogEntityDeletePermission },
        userOf('user:default/olga'),
      );
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
      expect(JSON.stringify(decision)).toContain('group:default/new-team');
      expect(JSON.stringify(decision)).not.toContain('group:default/old-team');
      expect(calls).toEqual(['stale', 'fresh']);
    });

    it('does not reuse a path check from an earlier request', async () => {
      let verifications = 0;
      let delayNext = true;
      const answer = {
        userEntityRef: 'user:default/ada',
        userFound: true,
        memberships: [
          {
            groupRef: 'group:default/platform-admins',
            direct: true,
            path: ['user:default/ada', 'group:default/platform-admins'],
            edges: [],
          },
        ],
        groupRefs: new Set(['group:default/platform-admins']),
        truncated: false,
        ignored: [],
        uncounted: [],
        fresh: false,
      };
      const res: MembershipResolver = {
        async getUserMemberships(_ref, options) {
          // The first answer arrives in a later turn of the event loop, as a
          // catalog read would; the later ones at once, from the cache.
          if (delayNext) {
            delayNext = false;
            await new Promise(r => setTimeout(r, 10));
          }
          return { ...answer, fresh: !options?.allowStale };
        },
        async verifyPath() {
          verifications += 1;
          return verifications === 1;
        },
      };
      const policy = policyWith(res);
      const ask = () =>
        policy.handle(
          { permission: catalogEntityDeletePermission },
          userOf('user:default/ada'),
        );
      expect((await ask()).result).toBe(AuthorizeResult.ALLOW);
      await new Promise(r => setTimeout(r, 20));
      // A later request: the path no longer holds, and must be asked again.
      await ask();
      expect(verifications).toBe(2);
    });
  });
});
