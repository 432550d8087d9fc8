import { JsonObject } from '@backstage/types';
import { ENTERPRISE_USER_SCHEMA } from '../schema/scimSchemaUris';
import { Row, str } from './rows';
import { UserWrite } from './ScimStore';

/** Multi-valued user attributes copied to scim_values for filtering. */
const VALUE_ATTRIBUTES = [
  'emails',
  'phoneNumbers',
  'photos',
  'roles',
  'entitlements',
];

/** The SCIM id the enterprise extension names as the user's manager. */
export function managerIdOf(resource: JsonObject): string | undefined {
  const ext = (resource[ENTERPRISE_USER_SCHEMA] ?? {}) as JsonObject;
  const value = ((ext.manager ?? {}) as JsonObject).value;
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * The columns of `scim_users` a write sets: the whole resource as JSON, and
 * the attributes filters can name in columns of their own.
 */
export function userColumns(write: UserWrite) {
  const r = write.resource;
  const name = (r.name ?? {}) as JsonObject;
  const ext = (r[ENTERPRISE_USER_SCHEMA] ?? {}) as JsonObject;
  return {
    user_name: write.userName,
    user_name_lower: write.userName.toLocaleLowerCase('en-US'),
    external_id: str(r.externalId),
    display_name: str(r.displayName),
    given_name: str(name.givenName),
    family_name: str(name.familyName),
    formatted_name: str(name.formatted),
    nick_name: str(r.nickName),
    title: str(r.title),
    user_type: str(r.userType),
    preferred_language: str(r.preferredLanguage),
    locale: str(r.locale),
    timezone: str(r.timezone),
    active: write.active,
    employee_number: str(ext.employeeNumber),
    cost_center: str(ext.costCenter),
    organization: str(ext.organization),
    division: str(ext.division),
    department: str(ext.department),
    manager_id: managerIdOf(r) ?? null,
    resource: JSON.stringify(r),
  };
}

/** The `scim_values` rows of a user's multi-valued attributes. */
export function valueRows(id: string, resource: JsonObject): Row[] {
  const rows: Row[] = [];
  for (const attribute of VALUE_ATTRIBUTES) {
    const items = resource[attribute];
    if (!Array.isArray(items)) {
      continue;
    }
    for (const item of items as JsonObject[]) {
      rows.push({
        resource_id: id,
        attribute,
        value: str(item.value),
        display: str(item.display),
        type: str(item.type),
        is_primary: item.primary === true,
      });
    }
  }
  return rows;
}
