import { JsonObject } from '@backstage/types';
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  USER_SCHEMA,
} from '../schema/scimSchemaUris';
import { StoredGroup, StoredUser } from '../store/ScimStore';

export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** Renders a stored user as a SCIM User resource. */
export function formatUser(user: StoredUser, baseUrl: string): JsonObject {
  const schemas = [USER_SCHEMA];
  if (user.resource[ENTERPRISE_USER_SCHEMA]) {
    schemas.push(ENTERPRISE_USER_SCHEMA);
  }
  const result: JsonObject = {
    schemas,
    id: user.id,
    ...user.resource,
    active: user.active,
  };
  if (user.groups) {
    result.groups = user.groups.map(g => ({
      value: g.value,
      $ref: `${baseUrl}/Groups/${g.value}`,
      display: g.display,
      type: 'direct',
    }));
  }
  result.meta = {
    resourceType: 'User',
    created: user.created,
    lastModified: user.lastModified,
    location: `${baseUrl}/Users/${user.id}`,
    version: etagOf(user.version),
  };
  return result;
}

/** Renders a stored group as a SCIM Group resource. */
export function formatGroup(group: StoredGroup, baseUrl: string): JsonObject {
  const result: JsonObject = {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    ...group.resource,
  };
  if (group.members) {
    result.members = group.members.map(m => ({
      value: m.value,
      $ref: `${baseUrl}/${m.type === 'User' ? 'Users' : 'Groups'}/${m.value}`,
      type: m.type,
      ...(m.display ? { display: m.display } : {}),
    }));
  }
  result.meta = {
    resourceType: 'Group',
    created: group.created,
    lastModified: group.lastModified,
    location: `${baseUrl}/Groups/${group.id}`,
    version: etagOf(group.version),
  };
  return result;
}
