import { Entity } from '@backstage/catalog-model';
import { catalogSource } from '@identity-governance/plugin-identity-node/testUtils';

// The file locations the index tests' entities come from: users are read
// through a location that all.yaml lists, groups from their own file.
const users = catalogSource('file:/org/all.yaml', {
  location: 'file:/org/users.yaml',
});
const groups = catalogSource(undefined, { location: 'file:/org/groups.yaml' });

let counter = 0;

/**
 * What the catalog adds to an entity it serves: a uid, an etag that changes
 * with every version, and the relations its spec declares.
 */
function served(entity: Entity, uid: string, relations: Entity['relations']) {
  counter += 1;
  return {
    ...entity,
    metadata: { ...entity.metadata, uid, etag: `etag-${counter}` },
    relations,
  };
}

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
  const entity = users.user(name, options.groups ?? [], {
    email: options.email,
    displayName: options.displayName,
  });
  entity.metadata.annotations = {
    ...entity.metadata.annotations,
    ...options.annotations,
  };
  return {
    ...served(
      entity,
      `uid-${name}`,
      (options.groups ?? []).map(g => ({
        type: 'memberOf',
        targetRef: `group:default/${g}`,
      })),
    ),
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

/** A Group as the catalog serves it: relations stitched, uid and etag set. */
export function group(
  name: string,
  options: { parent?: string; children?: string[]; displayName?: string } = {},
): Entity {
  const entity = groups.group(name, {
    profile: options.displayName ? { displayName: options.displayName } : {},
    children: options.children ?? [],
    ...(options.parent ? { parent: options.parent } : {}),
  });
  return served(entity, `uid-group-${name}`, [
    ...(options.parent
      ? [{ type: 'childOf', targetRef: `group:default/${options.parent}` }]
      : []),
    ...(options.children ?? []).map(c => ({
      type: 'parentOf',
      targetRef: `group:default/${c}`,
    })),
  ]);
}

/**
 * The organisation of the index tests: nested groups and a user for every
 * flag the index sets (no groups, orphaned, processing errors, a duplicate
 * email, provisioned by SCIM). Not the demo organisation
 * (`@identity-governance/plugin-identity-node/testUtils`): the counts these
 * tests assert are this one's.
 */
export function flaggedOrg(): Entity[] {
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
