import { Entity } from '@backstage/catalog-model';
import {
  EntityVersion,
  IdentityCatalogReader,
} from '../indexer/IdentityCatalogReader';
import { entityVersionTag } from '../indexer/entityVersionTag';
import { IndexerEngineSettings } from '../indexer/IdentityIndexer';
import { createTrustedOrigins } from '@identity-governance/plugin-identity-node';

let counter = 0;

/** A User as the catalog serves it: relations stitched, uid and etag set. */
export function user(
  name: string,
  options: {
    email?: string;
    displayName?: string;
    groups?: string[];
    annotations?: Record<string, string>;
    errors?: string[];
  } = {},
): Entity {
  counter += 1;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      etag: `etag-${counter}`,
      annotations: {
        'backstage.io/managed-by-location': 'file:/org/users.yaml',
        'backstage.io/managed-by-origin-location': 'file:/org/all.yaml',
        ...options.annotations,
      },
    },
    spec: {
      profile: { email: options.email, displayName: options.displayName },
      memberOf: options.groups ?? [],
    },
    relations: (options.groups ?? []).map(g => ({
      type: 'memberOf',
      targetRef: `group:default/${g}`,
    })),
    ...(options.errors
      ? {
          status: {
            items: options.errors.map(message => ({
              type: 'backstage.io/catalog-processing',
              level: 'error',
              message,
              error: { name: 'InputError', message },
            })),
          },
        }
      : {}),
  } as Entity;
}

export function group(
  name: string,
  options: { parent?: string; children?: string[]; displayName?: string } = {},
): Entity {
  counter += 1;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-group-${name}`,
      etag: `etag-${counter}`,
      annotations: {
        'backstage.io/managed-by-location': 'file:/org/groups.yaml',
      },
    },
    spec: {
      type: 'team',
      profile: options.displayName ? { displayName: options.displayName } : {},
      children: options.children ?? [],
      ...(options.parent ? { parent: options.parent } : {}),
    },
    relations: [
      ...(options.parent
        ? [{ type: 'childOf', targetRef: `group:default/${options.parent}` }]
        : []),
      ...(options.children ?? []).map(c => ({
        type: 'parentOf',
        targetRef: `group:default/${c}`,
      })),
    ],
  };
}

/** The demo-like org used by the store and indexer tests. */
export function demoOrg(): Entity[] {
  return [
    group('platform-admins', { children: ['department'] }),
    group('department', { parent: 'platform-admins', children: ['team'] }),
    group('team', { parent: 'department', displayName: 'The Team' }),
    group('other-team'),
    user('ada', {
      email: 'ada@example.com',
      displayName: 'Ada Admin',
      groups: ['platform-admins'],
    }),
    user('nina', {
      email: 'nina@example.com',
      displayName: 'Nina Nested',
      groups: ['team'],
    }),
    user('sam', {
      email: 'sam@example.com',
      displayName: 'Sam SRE',
      groups: ['team', 'other-team'],
    }),
    user('dup-one', { email: 'Same@example.com', groups: ['other-team'] }),
    user('dup-two', { email: 'same@example.com', groups: ['other-team'] }),
    user('lonely', { email: 'lonely@example.com' }),
    user('ghost', {
      email: 'ghost@example.com',
      groups: ['other-team'],
      annotations: { 'backstage.io/orphan': 'true' },
    }),
    user('broken', {
      email: 'broken@example.com',
      groups: ['other-team'],
      errors: ['spec.profile.email must be a string'],
    }),
    user('scimmy', {
      email: 'scimmy@example.com',
      groups: ['other-team'],
      annotations: {
        'backstage.io/managed-by-location': 'scim:entra',
        'backstage.io/managed-by-origin-location': 'scim:entra',
        'scim.identity-governance.io/idp': 'entra',
        'scim.identity-governance.io/id': 'abc-123',
        'scim.identity-governance.io/provisioned-at': '2025-01-01T00:00:00Z',
      },
    }),
  ];
}

/** An in-memory catalog for the indexer. */
export class FakeCatalogReader implements IdentityCatalogReader {
  entities: Entity[];
  constructor(entities: Entity[]) {
    this.entities = entities;
  }
  private refOf(e: Entity) {
    return `${e.kind}:default/${e.metadata.name}`.toLocaleLowerCase('en-US');
  }
  /** Entities per page of `listVersions`. */
  pageSize = 4;
  async *listVersions(): AsyncIterable<EntityVersion[]> {
    const versions = this.entities.map(e => ({
      kind: e.kind.toLocaleLowerCase('en-US') as 'user' | 'group',
      entityRef: this.refOf(e),
      etag: entityVersionTag(e),
    }));
    for (let i = 0; i < versions.length; i += this.pageSize) {
      yield versions.slice(i, i + this.pageSize);
    }
  }
  async getEntities(refs: string[]): Promise<Entity[]> {
    const wanted = new Set(refs);
    return this.entities.filter(e => wanted.has(this.refOf(e)));
  }
}

/**
 * Membership engine settings for tests: `trustedOrigins` as the policy's
 * config would give them (every origin when undefined).
 */
export function engineSettings(
  trustedOrigins?: string[],
  maxDepth = 10,
): IndexerEngineSettings {
  return {
    trustedOrigins: createTrustedOrigins(trustedOrigins),
    maxDepth,
    fingerprint: JSON.stringify({ trustedOrigins, maxDepth }),
  };
}
