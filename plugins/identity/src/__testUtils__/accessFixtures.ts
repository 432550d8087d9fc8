import {
  AccessExplanation,
  CheckAccessRequest,
  DryRunRequest,
  DryRunResponse,
  GuardedPermissionInfo,
  IdentityUser,
  UserAccessResponse,
  WhoCanResponse,
} from '@identity-governance/plugin-identity-common';
import { IdentityApi, IdentityEntityName, IdentityWhoCanQuery } from '../api';

const ADMINS = 'group:default/platform-admins';

/** The demo's admin, as GET /users lists her. */
export const ada: IdentityUser = {
  entityRef: 'user:default/ada.admin',
  namespace: 'default',
  name: 'ada.admin',
  displayName: 'Ada Admin',
  email: 'ada@example.com',
  directGroups: [ADMINS],
  inheritedGroupCount: 0,
  source: 'file',
  flags: [],
};

export const guardedPermissions: GuardedPermissionInfo[] = [
  {
    name: 'catalog.entity.delete',
    resourceType: 'catalog-entity',
    action: 'delete',
    adminGroups: [ADMINS],
    rules: [],
    ownersAllowed: false,
  },
  {
    name: 'catalog.entity.refresh',
    resourceType: 'catalog-entity',
    action: 'update',
    adminGroups: [ADMINS],
    rules: [
      {
        rule: 'identityPolicy.rules[0]',
        allowGroups: ['group:default/sre'],
        allowOwners: false,
      },
    ],
    ownersAllowed: false,
  },
  {
    name: 'identity.read',
    action: 'read',
    adminGroups: [ADMINS],
    rules: [
      {
        rule: 'identityPolicy.rules[1]',
        allowGroups: ['group:default/sre'],
        allowOwners: false,
      },
    ],
    ownersAllowed: false,
  },
];

/** Oscar: in no allowed group, so every guarded permission is denied. */
export const oscarAccess: UserAccessResponse = {
  userEntityRef: 'user:default/oscar.ordinary',
  userFound: true,
  items: [
    {
      permission: 'catalog.entity.delete',
      result: 'deny',
      decidedBy: { kind: 'not-in-allowed-group' },
      reason: 'not in an allowed group',
    },
    {
      permission: 'catalog.entity.refresh',
      result: 'deny',
      decidedBy: { kind: 'not-in-allowed-group' },
      reason:
        'not in an allowed group; 1 memberships of untrusted origin ignored',
      uncounted: [
        {
          groupRef: 'group:default/sre',
          declaredBy: 'user:default/oscar.ordinary',
          origin: 'url:https://example.com/rogue.yaml',
          reason: 'declared by an entity outside the trusted origins',
        },
      ],
    },
  ],
};

/** Nina: an admin through a nested group. */
export const ninaAccess: UserAccessResponse = {
  userEntityRef: 'user:default/nina.nested',
  userFound: true,
  items: [
    {
      permission: 'catalog.entity.delete',
      result: 'allow',
      decidedBy: { kind: 'admin-group', group: ADMINS },
      reason:
        'admin group group:default/platform-admins via group:default/platform-admins-emea',
      path: [
        {
          from: 'user:default/nina.nested',
          to: 'group:default/platform-admins-emea',
          declaredBy: 'user:default/nina.nested',
          origin: 'file:../../examples/demo-org/org.yaml',
          directory: 'demo-files',
        },
        {
          from: 'group:default/platform-admins-emea',
          to: ADMINS,
          declaredBy: 'group:default/platform-admins-emea',
          origin: 'file:../../examples/demo-org/org.yaml',
        },
      ],
    },
    {
      permission: 'identity.user.offboard',
      result: 'conditional',
      decidedBy: { kind: 'owners', rule: 'identityPolicy.rules[2]' },
      reason: 'identityPolicy.rules[2] allows owners of the entity (3 claims)',
    },
  ],
};

export const checkDenied: AccessExplanation = {
  permission: 'catalog.entity.delete',
  resourceRef: 'component:default/web',
  result: 'deny',
  decidedBy: { kind: 'not-in-allowed-group' },
  reason: 'not in an allowed group',
};

export const whoCanDelete: WhoCanResponse = {
  permission: 'catalog.entity.delete',
  guarded: true,
  everyone: false,
  items: [
    {
      user: ada,
      groupRef: ADMINS,
      path: ['user:default/ada.admin', ADMINS],
      decidedBy: { kind: 'admin-group', group: ADMINS },
    },
    {
      user: {
        ...ada,
        entityRef: 'user:default/nina.nested',
        name: 'nina.nested',
        displayName: 'Nina Nested',
        email: 'nina@example.com',
      },
      groupRef: ADMINS,
      path: [
        'user:default/nina.nested',
        'group:default/platform-admins-emea',
        ADMINS,
      ],
      decidedBy: { kind: 'admin-group', group: ADMINS },
    },
  ],
  totalItems: 2,
  offset: 0,
  limit: 25,
};

export const dryRunResult: DryRunResponse = {
  listLimit: 100,
  notSimulated: ['identityPolicy.membership'],
  permissions: [
    {
      permission: 'catalog.entity.delete',
      guardedNow: true,
      guardedProposed: true,
      gains: [
        {
          userRef: 'user:default/sam.sre',
          name: 'sam.sre',
          displayName: 'Sam SRE',
          path: ['user:default/sam.sre', 'group:default/sre'],
          decidedBy: { kind: 'admin-group', group: 'group:default/sre' },
        },
      ],
      losses: [],
      gainCount: 1,
      lossCount: 0,
    },
    {
      permission: 'identity.read',
      guardedNow: true,
      guardedProposed: true,
      gains: [],
      losses: [],
      gainCount: 0,
      lossCount: 0,
    },
  ],
};

type AccessMethods = Pick<
  IdentityApi,
  | 'getMyAccess'
  | 'getUserAccess'
  | 'checkAccess'
  | 'getGuardedPermissions'
  | 'getWhoCan'
  | 'exportWhoCanCsv'
  | 'dryRun'
>;

/** The access methods of the mocked IdentityApi, answering the fixtures. */
export function mockAccessMethods(): jest.Mocked<AccessMethods> {
  return {
    getMyAccess: jest.fn(async () => oscarAccess),
    getUserAccess: jest.fn(async (_user: IdentityEntityName) => ninaAccess),
    checkAccess: jest.fn(async (_request: CheckAccessRequest) => checkDenied),
    getGuardedPermissions: jest.fn(async () => guardedPermissions),
    getWhoCan: jest.fn(
      async (_permission: string, _query?: IdentityWhoCanQuery) => whoCanDelete,
    ),
    exportWhoCanCsv: jest.fn(
      async (_permission: string) => new Blob(['user\n']),
    ),
    dryRun: jest.fn(async (_request: DryRunRequest) => dryRunResult),
  };
}
