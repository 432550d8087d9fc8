import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogPermissions,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  AccessExplanation,
  identityReadPermission,
} from '@identity-governance/plugin-identity-common';
import {
  MembershipResolver,
  UserMemberships,
} from '@identity-governance/plugin-identity-node';
import { IdentityPermissionPolicy } from './IdentityPermissionPolicy';
import { readIdentityPolicyConfig } from './readIdentityPolicyConfig';

const paths: Record<string, string[][]> = {
  'user:default/ada': [['group:default/platform-admins']],
  'user:default/nina': [
    ['group:default/emea'],
    ['group:default/emea', 'group:default/platform-admins'],
  ],
  'user:default/sam': [['group:default/sre']],
  'user:default/oscar': [['group:default/squad-a']],
  'user:default/dana': [['group:default/developers']],
};

/** Built loosely: the engine's answer gains fields while this is written. */
function answer(ref: string, extra: object = {}): UserMemberships {
  const own = paths[ref] ?? [];
  return {
    userEntityRef: ref,
    userFound: ref in paths,
    memberships: own.map(p => ({
      groupRef: p[p.length - 1],
      direct: p.length === 1,
      path: [ref, ...p],
    })),
    groupRefs: new Set(own.map(p => p[p.length - 1])),
    truncated: false,
    ignored: [],
    fresh: true,
    ...extra,
  } as unknown as UserMemberships;
}

const resolver: MembershipResolver = {
  async getUserMemberships(ref) {
    if (ref === 'user:default/broken') {
      throw new Error('catalog unavailable');
    }
    if (ref === 'user:default/dana') {
      // Dana declared herself into platform-admins from an untrusted file.
      return answer(ref, {
        ignored: [
          {
            groupRef: 'group:default/platform-admins',
            declaredBy: 'user:default/dana',
            origin: 'file:/tmp/evil.yaml',
          },
        ],
      });
    }
    if (ref === 'user:default/mel') {
      // An untrusted file lists Mel in a group it declares under the admins.
      return answer(ref, {
        uncounted: [
          {
            groupRef: 'group:default/legacy-admins',
            reason: 'untrusted-origin',
            path: [ref, 'group:default/legacy-admins'],
            source: {
              declaredBy: 'group:default/legacy-admins',
              origin: 'file:/tmp/hr.yaml',
            },
            reaches: ['group:default/platform-admins'],
          },
        ],
      });
    }
    return answer(ref);
  },
  async verifyPath() {
    throw new Error('fresh answers need no verification');
  },
};

const entities: Record<string, Entity> = {
  'component:default/squad-service': {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'squad-service' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/squad-a' }],
  },
  'component:default/other-service': {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'other-service' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/sre' }],
  },
};

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
    entities: {
      async getEntityByRef(ref) {
        return entities[ref];
      },
    },
  });
  return { policy, logger, auditor };
}

function userOf(ref: string): PolicyQueryUser {
  return {
    credentials: mockCredentials.user(ref),
    info: { userEntityRef: ref, ownershipEntityRefs: [ref] },
  };
}

const results: Record<string, AccessExplanation['result']> = {
  [AuthorizeResult.ALLOW]: 'allow',
  [AuthorizeResult.DENY]: 'deny',
  [AuthorizeResult.CONDITIONAL]: 'conditional',
};

describe('IdentityPermissionPolicy.explain', () => {
  const users = [
    'user:default/ada',
    'user:default/nina',
    'user:default/sam',
    'user:default/oscar',
    'user:default/dana',
    'user:default/nobody',
    'user:default/broken',
  ];
  const permissions: Permission[] = [
    catalogEntityDeletePermission,
    catalogEntityRefreshPermission,
    catalogLocationCreatePermission,
    catalogEntityReadPermission,
    identityReadPermission,
  ];

  it.each([
    ['the default config', {}],
    [
      'an owner rule and a deny default',
      {
        defaultDecision: 'deny',
        rules: [
          { resourceType: 'catalog-entity', allowOwners: true },
          { action: 'read', allowGroups: ['group:default/squad-a'] },
        ],
      },
    ],
  ])(
    'answers what handle decides, for every user and permission, under %s',
    async (_name, config) => {
      const { policy, logger } = createPolicy(config);
      const differences: object[] = [];
      for (const user of users) {
        for (const permission of permissions) {
          logger.info.mockClear();
          const decision = await policy.handle({ permission }, userOf(user));
          const line = logger.info.mock.calls.find(
            ([message]) => message === 'permission.policy-decision',
          )?.[1] as { reason: string } | undefined;
          const explanation = await policy.explain({
            userEntityRef: user,
            permission: permission.name,
          });
          // The reason is the decision record's, when there is one.
          if (
            explanation.result !== results[decision.result] ||
            (line && line.reason !== explanation.reason)
          ) {
            differences.push({ user, permission, decision, line, explanation });
          }
        }
      }
      expect(differences).toEqual([]);
    },
  );

  it('names what decided, with the membership path edge by edge', async () => {
    const { policy } = createPolicy();
    expect(
      await policy.explain({
        userEntityRef: 'nina',
        permission: 'catalog.entity.delete',
      }),
    ).toEqual({
      permission: 'catalog.entity.delete',
      result: 'allow',
      decidedBy: {
        kind: 'admin-group',
        group: 'group:default/platform-admins',
      },
      reason:
        'admin group group:default/platform-admins via group:default/emea',
      path: [
        {
          from: 'user:default/nina',
          to: 'group:default/emea',
          declaredBy: 'unknown',
        },
        {
          from: 'group:default/emea',
          to: 'group:default/platform-admins',
          declaredBy: 'unknown',
        },
      ],
    });
    expect(
      await policy.explain({
        userEntityRef: 'user:default/sam',
        permission: 'catalog.entity.refresh',
      }),
    ).toMatchObject({
      result: 'allow',
      decidedBy: {
        kind: 'rule',
        rule: 'identityPolicy.rules[0]',
        group: 'group:default/sre',
      },
      reason: 'identityPolicy.rules[0] allows group:default/sre',
    });
    expect(
      await policy.explain({
        userEntityRef: 'user:default/nobody',
        permission: 'catalog.entity.delete',
      }),
    ).toEqual({
      permission: 'catalog.entity.delete',
      result: 'deny',
      decidedBy: { kind: 'not-in-allowed-group' },
      reason: 'not in an allowed group (no such user in the catalog)',
    });
    expect(
      await policy.explain({
        userEntityRef: 'user:default/oscar',
        permission: 'catalog.entity.read',
      }),
    ).toMatchObject({ result: 'allow', decidedBy: { kind: 'default' } });
    expect(
      await policy.explain({
        userEntityRef: 'user:default/broken',
        permission: 'catalog.entity.delete',
      }),
    ).toMatchObject({
      result: 'deny',
      decidedBy: { kind: 'error' },
      reason: 'error while deciding, denied: Error: catalog unavailable',
    });
  });

  it('uses the engine’s per-edge sources when it gives them', async () => {
    const edges = [
      {
        from: 'user:default/nina',
        to: 'group:default/emea',
        declaredBy: 'user:default/nina',
        origin: 'url:https://idp/users.yaml',
        directory: 'corp',
      },
      {
        from: 'group:default/emea',
        to: 'group:default/platform-admins',
        declaredBy: 'group:default/platform-admins',
        origin: 'url:https://idp/groups.yaml',
        directory: 'corp',
      },
    ];
    const policy = new IdentityPermissionPolicy({
      config: readIdentityPolicyConfig(
        mockServices.rootConfig({
          data: {
            identityPolicy: { adminGroups: ['group:default/platform-admins'] },
          },
        }),
      ),
      resolver: {
        async getUserMemberships(ref) {
          const base = answer(ref);
          return {
            ...base,
            memberships: base.memberships.map(m => ({
              ...m,
              edges: edges.slice(0, m.path.length - 1),
            })),
          };
        },
        async verifyPath() {
          return true;
        },
      },
      logger: mockServices.logger.mock(),
    });
    const explanation = await policy.explain({
      userEntityRef: 'user:default/nina',
      permission: 'catalog.entity.delete',
    });
    expect(explanation.path).toEqual(edges);
  });

  it('shows memberships that would have granted but did not count', async () => {
    const { policy } = createPolicy();
    expect(
      await policy.explain({
        userEntityRef: 'user:default/dana',
        permission: 'catalog.entity.delete',
      }),
    ).toEqual({
      permission: 'catalog.entity.delete',
      result: 'deny',
      decidedBy: { kind: 'not-in-allowed-group' },
      reason:
        'not in an allowed group; 1 memberships of untrusted origin ignored',
      uncounted: [
        {
          groupRef: 'group:default/platform-admins',
          declaredBy: 'user:default/dana',
          origin: 'file:/tmp/evil.yaml',
          reason: 'declared by an entity of an untrusted origin',
        },
      ],
    });
  });

  it('names a membership that did not count on its way to a granting group', async () => {
    const { policy } = createPolicy();
    const explanation = await policy.explain({
      userEntityRef: 'user:default/mel',
      permission: 'catalog.entity.delete',
    });
    expect(explanation.result).toBe('deny');
    expect(explanation.uncounted).toEqual([
      {
        groupRef: 'group:default/legacy-admins',
        declaredBy: 'group:default/legacy-admins',
        origin: 'file:/tmp/hr.yaml',
        reason:
          'declared by an entity of an untrusted origin; it would reach group:default/platform-admins',
      },
    ]);
  });

  it('evaluates an owner rule against the entity when given one, and answers conditional without', async () => {
    const { policy } = createPolicy({
      rules: [
        { resourceType: 'catalog-entity', action: 'delete', allowOwners: true },
      ],
    });
    const ask = (resourceRef?: string) =>
      policy.explain({
        userEntityRef: 'user:default/oscar',
        permission: 'catalog.entity.delete',
        resourceRef,
      });
    expect(await ask()).toMatchObject({
      result: 'conditional',
      decidedBy: { kind: 'owners', rule: 'identityPolicy.rules[0]' },
      reason: 'identityPolicy.rules[0] allows owners of the entity (2 claims)',
    });
    expect(await ask('component:default/squad-service')).toMatchObject({
      result: 'allow',
      resourceRef: 'component:default/squad-service',
      decidedBy: { kind: 'owners', rule: 'identityPolicy.rules[0]' },
      reason:
        'identityPolicy.rules[0] allows owners of the entity (2 claims): component:default/squad-service is owned by the user or one of its groups',
    });
    expect(await ask('component:default/other-service')).toMatchObject({
      result: 'deny',
      reason: expect.stringContaining('is not owned by the user or its groups'),
    });
    expect(await ask('component:default/gone')).toMatchObject({
      result: 'deny',
      reason: expect.stringContaining(
        'component:default/gone is not in the catalog',
      ),
    });
  });

  it('records no decision', async () => {
    const { policy, logger } = createPolicy();
    const decisionLines = () =>
      logger.info.mock.calls.filter(
        ([message]) => message === 'permission.policy-decision',
      );
    await policy.explain({
      userEntityRef: 'user:default/ada',
      permission: 'catalog.entity.delete',
    });
    await policy.explain({
      userEntityRef: 'user:default/broken',
      permission: 'catalog.entity.delete',
    });
    expect(decisionLines()).toEqual([]);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('identity-policy decisions are failing'),
      expect.objectContaining({ explain: true }),
    );
    await policy.handle(
      { permission: catalogEntityDeletePermission },
      userOf('user:default/ada'),
    );
    expect(decisionLines()).toHaveLength(1);
  });

  it('refuses an unknown permission, listing the known ones', async () => {
    const { policy } = createPolicy();
    const error = await policy
      .explain({ userEntityRef: 'user:default/ada', permission: 'nope' })
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain("Unknown permission 'nope'");
    for (const p of catalogPermissions) {
      expect(error.message).toContain(p.name);
    }
    expect(() => policy.grantingGroups('nope')).toThrow(InputError);
  });

  it('lists granting groups in the order the decision code tries them', () => {
    const { policy } = createPolicy({
      adminGroups: ['group:default/platform-admins', 'group:default/root'],
      rules: [
        { permission: 'catalog.entity.refresh', allowGroups: ['sre'] },
        { action: 'delete', allowGroups: ['group:default/janitors'] },
        { resourceType: 'catalog-entity', allowOwners: true },
      ],
    });
    expect(policy.grantingGroups('catalog.entity.delete')).toEqual({
      permission: 'catalog.entity.delete',
      guarded: true,
      everyone: false,
      grants: [
        {
          group: 'group:default/platform-admins',
          decidedBy: {
            kind: 'admin-group',
            group: 'group:default/platform-admins',
          },
        },
        {
          group: 'group:default/root',
          decidedBy: { kind: 'admin-group', group: 'group:default/root' },
        },
        {
          group: 'group:default/janitors',
          decidedBy: {
            kind: 'rule',
            rule: 'identityPolicy.rules[1]',
            group: 'group:default/janitors',
          },
        },
      ],
      conditional: [
        { rule: 'identityPolicy.rules[2]', description: expect.any(String) },
      ],
    });
    expect(policy.grantingGroups('catalog.entity.read')).toMatchObject({
      guarded: false,
      everyone: true,
    });
    const info = policy.guardedPermissions();
    expect(info.map(i => i.name)).toEqual(
      [
        'catalog.entity.create',
        'catalog.entity.delete',
        'catalog.entity.refresh',
        'catalog.location.create',
        'catalog.location.delete',
        'catalog.ingestion.manage',
        'identity.read',
        'identity.user.offboard',
        'identity.review.manage',
      ].sort(),
    );
    expect(info.find(i => i.name === 'catalog.entity.refresh')).toEqual({
      name: 'catalog.entity.refresh',
      resourceType: 'catalog-entity',
      action: 'update',
      adminGroups: ['group:default/platform-admins', 'group:default/root'],
      rules: [
        {
          rule: 'identityPolicy.rules[0]',
          allowGroups: ['group:default/sre'],
          allowOwners: false,
        },
        {
          rule: 'identityPolicy.rules[2]',
          allowGroups: [],
          allowOwners: true,
        },
      ],
      ownersAllowed: true,
    });
  });

  describe('withProposedConfig', () => {
    it('explains a proposal with the live memberships, listing what it does not simulate', async () => {
      const { policy } = createPolicy();
      const { explainer, notSimulated } = policy.withProposedConfig({
        adminGroups: ['group:default/sre'],
        membership: { cacheTtlSeconds: 1 },
        trustedOrigins: ['url:https://idp/'],
      });
      expect(notSimulated).toEqual([
        'identityPolicy.membership',
        'identityPolicy.trustedOrigins',
      ]);
      expect(
        (
          await explainer.explain({
            userEntityRef: 'user:default/sam',
            permission: 'catalog.entity.delete',
          })
        ).result,
      ).toBe('allow');
      expect(
        (
          await explainer.explain({
            userEntityRef: 'user:default/ada',
            permission: 'catalog.entity.delete',
          })
        ).result,
      ).toBe('deny');
      // The live policy is unchanged.
      expect(
        (
          await policy.explain({
            userEntityRef: 'user:default/ada',
            permission: 'catalog.entity.delete',
          })
        ).result,
      ).toBe('allow');
    });

    it('rejects an invalid proposal with the startup message', () => {
      const { policy } = createPolicy();
      const proposal = {
        adminGroups: ['component:default/x'],
        rules: [{ permission: 'catalog.entity.delet', allowGroups: ['sre'] }],
      };
      let startup: Error | undefined;
      try {
        readIdentityPolicyConfig(
          mockServices.rootConfig({ data: { identityPolicy: proposal } }),
        );
      } catch (e) {
        startup = e as Error;
      }
      expect(startup).toBeDefined();
      expect(() => policy.withProposedConfig(proposal)).toThrow(
        new InputError(startup!.message),
      );
      // A value of the wrong type: the config reader's message, as at startup.
      expect(() =>
        policy.withProposedConfig({ adminGroups: 'group:default/sre' }),
      ).toThrow(
        new InputError(
          "Invalid type in config for key 'identityPolicy.adminGroups' in 'proposed identityPolicy', got string, wanted string-array",
        ),
      );
      expect(() => policy.withProposedConfig(['x'])).toThrow(InputError);
    });
  });
});
