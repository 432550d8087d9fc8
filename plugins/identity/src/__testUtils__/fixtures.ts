import {
  IdentityGroupDetail,
  IdentityGroupTree,
  IdentityOffboardPreview,
  IdentitySummary,
  IdentityUser,
  IdentityUserDetail,
} from '@identity-governance/plugin-identity-common';
import { IdentityApi, IdentityEntityName, IdentityUsersQuery } from '../api';
import { ada, mockAccessMethods } from './accessFixtures';
import { mockReviewMethods } from './reviewFixtures';

export const users: IdentityUser[] = [
  ada,
  {
    entityRef: 'user:default/olive.orphan',
    namespace: 'default',
    name: 'olive.orphan',
    displayName: 'Olive Orphan',
    email: 'olive@example.com',
    directGroups: [],
    inheritedGroupCount: 0,
    source: 'file',
    flags: ['orphaned', 'noGroups'],
  },
];

export const summary: IdentitySummary = {
  totalUsers: 2,
  totalGroups: 3,
  bySource: {
    scim: 0,
    msgraph: 0,
    okta: 0,
    ldap: 0,
    github: 0,
    file: 2,
    url: 0,
    other: 0,
  },
  byStatus: {
    orphaned: 1,
    processingErrors: 0,
    noGroups: 1,
    duplicateEmail: 0,
    deactivated: 0,
    uncountedMemberships: 0,
  },
  indexedAt: '2026-12-04T03:00:00.000Z',
  stale: false,
};

export const groupTree: IdentityGroupTree = {
  totalGroups: 3,
  roots: [
    {
      entityRef: 'group:default/platform-admins',
      namespace: 'default',
      name: 'platform-admins',
      directMemberCount: 1,
      totalMemberCount: 2,
      children: [
        {
          entityRef: 'group:default/platform-admins-emea',
          namespace: 'default',
          name: 'platform-admins-emea',
          displayName: 'Platform admins EMEA',
          directMemberCount: 1,
          totalMemberCount: 1,
          children: [],
        },
      ],
    },
    {
      entityRef: 'group:default/sre',
      namespace: 'default',
      name: 'sre',
      directMemberCount: 0,
      totalMemberCount: 0,
      children: [],
    },
  ],
};

export const nina: IdentityUserDetail = {
  entityRef: 'user:default/nina.nested',
  namespace: 'default',
  name: 'nina.nested',
  displayName: 'Nina Nested',
  email: 'nina@example.com',
  directGroups: ['group:default/platform-admins-emea'],
  inheritedGroupCount: 1,
  source: 'file',
  flags: [],
  uid: 'uid-nina',
  uncountedMemberships: [],
  memberships: [
    {
      groupRef: 'group:default/platform-admins',
      direct: false,
      path: [
        'user:default/nina.nested',
        'group:default/platform-admins-emea',
        'group:default/platform-admins',
      ],
    },
    {
      groupRef: 'group:default/platform-admins-emea',
      groupDisplayName: 'Platform admins EMEA',
      direct: true,
      path: ['user:default/nina.nested', 'group:default/platform-admins-emea'],
    },
  ],
  provenance: {
    managedByLocation: 'file:/demo/examples/org.yaml',
    originLocation: 'file:/demo/examples/org.yaml',
    ancestry: [
      {
        entityRef: 'user:default/nina.nested',
        parentEntityRefs: ['location:default/generated-org'],
      },
      { entityRef: 'location:default/generated-org', parentEntityRefs: [] },
    ],
    providerAnnotations: {},
    processingErrors: [
      {
        type: 'foo',
        message: 'InputError: Policy check failed',
        error: { name: 'InputError', message: 'spec.memberOf is broken' },
      },
    ],
  },
};

/** A user the SCIM module provisioned, with the history it recorded. */
export const sam: IdentityUserDetail = {
  entityRef: 'user:default/sam.scim',
  namespace: 'default',
  name: 'sam.scim',
  displayName: 'Sam Scim',
  email: 'sam@example.com',
  directGroups: [],
  inheritedGroupCount: 0,
  source: 'scim',
  flags: ['noGroups'],
  uid: 'uid-sam',
  memberships: [],
  uncountedMemberships: [],
  provenance: {
    managedByLocation: 'scim:entra',
    originLocation: 'scim:entra',
    ancestry: [],
    providerAnnotations: {
      'scim.identity-governance.io/idp': 'entra',
      'scim.identity-governance.io/id': 'scim-id-sam',
    },
    processingErrors: [],
    provisioning: {
      idp: 'entra',
      scimId: 'scim-id-sam',
      userName: 'sam@example.com',
      provisionedAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-02-01T00:00:00.000Z',
      active: true,
      history: [
        {
          at: '2025-02-01T00:00:00.000Z',
          action: 'deactivated',
          idp: 'entra',
          details: {
            deactivatedBy: 'user:default/ada.admin',
            via: 'plugin:identity',
          },
        },
        {
          at: '2025-01-01T00:00:00.000Z',
          action: 'created',
          idp: 'entra',
          details: { userName: 'sam@example.com' },
        },
      ],
    },
  },
};

export const platformAdmins: IdentityGroupDetail = {
  entityRef: 'group:default/platform-admins',
  namespace: 'default',
  name: 'platform-admins',
  parentRefs: [],
  childRefs: ['group:default/platform-admins-emea'],
  directMemberCount: 1,
  totalMemberCount: 2,
  source: 'file',
  managedByLocation: 'file:/demo/examples/org.yaml',
  members: {
    items: [
      {
        userRef: 'user:default/ada.admin',
        name: 'ada.admin',
        direct: true,
        path: ['user:default/ada.admin', 'group:default/platform-admins'],
      },
      {
        userRef: 'user:default/nina.nested',
        name: 'nina.nested',
        direct: false,
        path: [
          'user:default/nina.nested',
          'group:default/platform-admins-emea',
          'group:default/platform-admins',
        ],
      },
    ],
    totalItems: 2,
    offset: 0,
    limit: 50,
  },
};

export const filePreview: IdentityOffboardPreview = {
  entityRef: 'user:default/nina.nested',
  source: 'file',
  managedByLocation: 'file:/demo/examples/org.yaml',
  originLocation: 'file:/demo/examples/org.yaml',
  action: 'delete',
  willReturn: true,
  supported: true,
  message:
    'The entity will be deleted, but file:/demo/examples/org.yaml still emits it: it will come back at the next refresh.',
};

/** An IdentityApi whose every method is a jest mock answering the fixtures. */
export function mockIdentityApi(): jest.Mocked<IdentityApi> {
  return {
    getUsers: jest.fn(async query => ({
      items: users,
      totalItems: users.length,
      offset: query.offset ?? 0,
      limit: query.limit ?? 25,
    })),
    getUser: jest.fn(async (_user: IdentityEntityName) => nina),
    getGroups: jest.fn(async () => groupTree),
    getGroup: jest.fn(async (_group: IdentityEntityName) => platformAdmins),
    getSummary: jest.fn(async () => summary),
    exportCsv: jest.fn(
      async (_query: IdentityUsersQuery) => new Blob(['a,b\n']),
    ),
    previewOffboard: jest.fn(async (_user: IdentityEntityName) => filePreview),
    offboard: jest.fn(async (_user: IdentityEntityName) => ({
      entityRef: filePreview.entityRef,
      action: 'delete' as const,
      willReturn: true,
      message: 'Deleted user:default/nina.nested',
    })),
    refresh: jest.fn(async (_user: IdentityEntityName) => undefined),
    ...mockAccessMethods(),
    ...mockReviewMethods(),
  };
}
