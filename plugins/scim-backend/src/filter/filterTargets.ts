import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  USER_SCHEMA,
} from '../schema/scimSchemaUris';

/** A filterable attribute held in a column of the resource's own row. */
export interface ColumnTarget {
  kind: 'column';
  column: string;
  type: 'string' | 'boolean' | 'dateTime';
  caseExact: boolean;
}

/**
 * A filterable multi-valued attribute held in rows of a child table, matched
 * with an EXISTS subquery.
 */
export interface ChildTarget {
  kind: 'child';
  table: string;
  /** The child column that holds the parent resource's id. */
  parentColumn: string;
  /** Fixed conditions on the child rows, e.g. which attribute they hold. */
  where: Record<string, string>;
  subAttributes: Record<string, ColumnTarget>;
}

export type FilterTarget = ColumnTarget | ChildTarget;

/**
 * The allow-list of attributes a filter may name, per resource type, keyed by
 * lower-cased attribute path without schema URN. Anything else is a 400
 * invalidFilter: filters never fall back to loading rows into memory.
 */
export interface FilterTargets {
  schemas: string[];
  targets: Record<string, FilterTarget>;
}

const text = (column: string, caseExact = false): ColumnTarget => ({
  kind: 'column',
  column,
  type: 'string',
  caseExact,
});

const dateTime = (column: string): ColumnTarget => ({
  kind: 'column',
  column,
  type: 'dateTime',
  caseExact: true,
});

function values(attribute: string): ChildTarget {
  return {
    kind: 'child',
    table: 'scim_values',
    parentColumn: 'resource_id',
    where: { attribute },
    subAttributes: {
      value: text('value'),
      display: text('display'),
      type: text('type'),
      primary: {
        kind: 'column',
        column: 'is_primary',
        type: 'boolean',
        caseExact: true,
      },
    },
  };
}

export const userFilterTargets: FilterTargets = {
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  targets: {
    id: text('id', true),
    externalid: text('external_id', true),
    username: text('user_name'),
    displayname: text('display_name'),
    nickname: text('nick_name'),
    title: text('title'),
    usertype: text('user_type'),
    preferredlanguage: text('preferred_language'),
    locale: text('locale'),
    timezone: text('timezone'),
    active: {
      kind: 'column',
      column: 'active',
      type: 'boolean',
      caseExact: true,
    },
    'name.givenname': text('given_name'),
    'name.familyname': text('family_name'),
    'name.formatted': text('formatted_name'),
    'meta.created': dateTime('created_at'),
    'meta.lastmodified': dateTime('updated_at'),
    emails: values('emails'),
    phonenumbers: values('phoneNumbers'),
    photos: values('photos'),
    roles: values('roles'),
    entitlements: values('entitlements'),
    groups: {
      kind: 'child',
      table: 'scim_members',
      parentColumn: 'member_id',
      where: {},
      subAttributes: { value: text('group_id', true) },
    },
    employeenumber: text('employee_number'),
    costcenter: text('cost_center'),
    organization: text('organization'),
    division: text('division'),
    department: text('department'),
    manager: text('manager_id', true),
    'manager.value': text('manager_id', true),
  },
};

export const groupFilterTargets: FilterTargets = {
  schemas: [GROUP_SCHEMA],
  targets: {
    id: text('id', true),
    externalid: text('external_id', true),
    displayname: text('display_name'),
    'meta.created': dateTime('created_at'),
    'meta.lastmodified': dateTime('updated_at'),
    members: {
      kind: 'child',
      table: 'scim_members',
      parentColumn: 'group_id',
      where: {},
      subAttributes: {
        value: text('member_id', true),
        type: text('member_type'),
        display: text('display'),
      },
    },
  },
};
