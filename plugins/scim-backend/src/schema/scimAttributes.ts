import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  USER_SCHEMA,
} from './scimSchemaUris';

/** An attribute definition as RFC 7643 section 7 describes it. */
export interface ScimAttribute {
  name: string;
  type:
    | 'string'
    | 'boolean'
    | 'complex'
    | 'dateTime'
    | 'reference'
    | 'integer'
    | 'decimal'
    | 'binary';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: ScimAttribute[];
}

export interface ScimSchema {
  id: string;
  name: string;
  description: string;
  attributes: ScimAttribute[];
}

function attr(
  name: string,
  description: string,
  options: Partial<ScimAttribute> = {},
): ScimAttribute {
  return {
    name,
    type: 'string',
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

function complex(
  name: string,
  description: string,
  subAttributes: ScimAttribute[],
  options: Partial<ScimAttribute> = {},
): ScimAttribute {
  return attr(name, description, {
    type: 'complex',
    subAttributes,
    ...options,
  });
}

/** The value/display/type/primary shape shared by emails, phoneNumbers, ... */
function multiValued(
  name: string,
  description: string,
  canonicalTypes: string[],
  valueType: ScimAttribute['type'] = 'string',
): ScimAttribute {
  return complex(
    name,
    description,
    [
      attr('value', `The value of the ${name} entry.`, { type: valueType }),
      attr('display', 'A human-readable name, primarily used for display.'),
      attr('type', 'A label indicating the function of the entry.', {
        canonicalValues: canonicalTypes,
      }),
      attr('primary', 'Indicates the primary or preferred entry.', {
        type: 'boolean',
      }),
    ],
    { multiValued: true },
  );
}

/** A common attribute of every resource (RFC 7643 section 3.1). */
export const externalIdAttribute: ScimAttribute = attr(
  'externalId',
  "The resource's identifier in the provisioning client.",
  { caseExact: true },
);

const userAttributes: ScimAttribute[] = [
  attr(
    'userName',
    'Unique identifier for the User, compared case-insensitively.',
    {
      required: true,
      uniqueness: 'server',
    },
  ),
  complex('name', "The components of the user's name.", [
    attr('formatted', 'The full name, formatted for display.'),
    attr('familyName', 'The family name of the User.'),
    attr('givenName', 'The given name of the User.'),
    attr('middleName', 'The middle name(s) of the User.'),
    attr('honorificPrefix', 'The honorific prefix(es) of the User.'),
    attr('honorificSuffix', 'The honorific suffix(es) of the User.'),
  ]),
  attr('displayName', 'The name of the User, suitable for display.'),
  attr('nickName', 'The casual way to address the user.'),
  attr('profileUrl', "A URI pointing to the User's online profile.", {
    type: 'reference',
    referenceTypes: ['external'],
  }),
  attr('title', "The user's title, such as 'Vice President'."),
  attr('userType', 'The relationship between the organization and the user.'),
  attr('preferredLanguage', "The User's preferred written or spoken language."),
  attr('locale', "The User's default location for localization."),
  attr('timezone', "The User's time zone in IANA format."),
  attr('active', "The User's administrative status.", { type: 'boolean' }),
  multiValued('emails', 'Email addresses for the user.', [
    'work',
    'home',
    'other',
  ]),
  multiValued('phoneNumbers', 'Phone numbers for the User.', [
    'work',
    'home',
    'mobile',
    'fax',
    'pager',
    'other',
  ]),
  multiValued('ims', 'Instant messaging addresses for the User.', []),
  multiValued(
    'photos',
    'URLs of photos of the User.',
    ['photo', 'thumbnail'],
    'reference',
  ),
  complex(
    'addresses',
    'A physical mailing address for this User.',
    [
      attr('formatted', 'The full mailing address.'),
      attr('streetAddress', 'The full street address component.'),
      attr('locality', 'The city or locality component.'),
      attr('region', 'The state or region component.'),
      attr('postalCode', 'The zip code or postal code component.'),
      attr('country', 'The country name component.'),
      attr('type', 'A label indicating the function of the address.', {
        canonicalValues: ['work', 'home', 'other'],
      }),
      attr('primary', 'Indicates the primary address.', { type: 'boolean' }),
    ],
    { multiValued: true },
  ),
  complex(
    'groups',
    'The groups the user belongs to directly, maintained through Group resources.',
    [
      attr('value', 'The id of the Group.', { mutability: 'readOnly' }),
      attr('$ref', 'The URI of the Group.', {
        type: 'reference',
        referenceTypes: ['Group'],
        mutability: 'readOnly',
      }),
      attr('display', 'The displayName of the Group.', {
        mutability: 'readOnly',
      }),
      attr('type', "Always 'direct'.", {
        mutability: 'readOnly',
        canonicalValues: ['direct'],
      }),
    ],
    { multiValued: true, mutability: 'readOnly' },
  ),
  multiValued('entitlements', 'A list of entitlements for the User.', []),
  multiValued('roles', 'A list of roles for the User.', []),
  multiValued(
    'x509Certificates',
    'A list of certificates issued to the User.',
    [],
    'binary',
  ),
];

const enterpriseUserAttributes: ScimAttribute[] = [
  attr(
    'employeeNumber',
    'Numeric or alphanumeric identifier assigned to a person.',
  ),
  attr('costCenter', 'Identifies the name of a cost center.'),
  attr('organization', 'Identifies the name of an organization.'),
  attr('division', 'Identifies the name of a division.'),
  attr('department', 'Identifies the name of a department.'),
  complex('manager', "The User's manager.", [
    attr('value', 'The id of the SCIM resource representing the manager.'),
    attr('$ref', 'The URI of the manager.', {
      type: 'reference',
      referenceTypes: ['User'],
    }),
    attr('displayName', 'The displayName of the manager.', {
      mutability: 'readOnly',
    }),
  ]),
];

const groupAttributes: ScimAttribute[] = [
  attr(
    'displayName',
    'A human-readable name for the Group, unique per identity provider.',
    {
      required: true,
      uniqueness: 'server',
    },
  ),
  complex(
    'members',
    'A list of members of the Group.',
    [
      attr('value', 'Identifier of the member of this Group.', {
        mutability: 'immutable',
      }),
      attr('$ref', 'The URI of the member resource.', {
        type: 'reference',
        referenceTypes: ['User', 'Group'],
        mutability: 'immutable',
      }),
      attr('display', 'A human-readable name of the member.', {
        mutability: 'immutable',
      }),
      attr('type', 'The type of the member.', {
        mutability: 'immutable',
        canonicalValues: ['User', 'Group'],
      }),
    ],
    { multiValued: true },
  ),
];

export const userSchema: ScimSchema = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: userAttributes,
};

export const enterpriseUserSchema: ScimSchema = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: enterpriseUserAttributes,
};

export const groupSchema: ScimSchema = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: groupAttributes,
};

/** How a resource type is assembled from its core schema and extensions. */
export interface ScimResourceDefinition {
  name: 'User' | 'Group';
  endpoint: '/Users' | '/Groups';
  core: ScimSchema;
  extensions: ScimSchema[];
}

export const userResource: ScimResourceDefinition = {
  name: 'User',
  endpoint: '/Users',
  core: userSchema,
  extensions: [enterpriseUserSchema],
};

export const groupResource: ScimResourceDefinition = {
  name: 'Group',
  endpoint: '/Groups',
  core: groupSchema,
  extensions: [],
};

/** Case-insensitive lookup of an attribute definition by name. */
export function findAttribute(
  attributes: ScimAttribute[] | undefined,
  name: string,
): ScimAttribute | undefined {
  const lower = name.toLocaleLowerCase('en-US');
  return attributes?.find(a => a.name.toLocaleLowerCase('en-US') === lower);
}

/** Case-insensitive lookup of a schema URN among a resource's extensions. */
export function findExtension(
  definition: ScimResourceDefinition,
  urn: string,
): ScimSchema | undefined {
  const lower = urn.toLocaleLowerCase('en-US');
  return definition.extensions.find(
    s => s.id.toLocaleLowerCase('en-US') === lower,
  );
}
