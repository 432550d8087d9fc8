import { JsonObject } from '@backstage/types';
import {
  ScimResourceDefinition,
  ScimSchema,
  enterpriseUserSchema,
  groupResource,
  groupSchema,
  userResource,
  userSchema,
} from '../schema/scimAttributes';
import {
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
} from '../schema/scimSchemaUris';

/** The most results one list request returns. */
export const MAX_RESULTS = 1000;

/** What this service provider supports, and nothing more (RFC 7643 §5). */
export function serviceProviderConfig(baseUrl: string): JsonObject {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description:
          'A static bearer token per identity provider, set in app-config under scim.identityProviders',
        primary: true,
      },
    ],
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  };
}

export function schemaDocument(
  schema: ScimSchema,
  baseUrl: string,
): JsonObject {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes as unknown as JsonObject[],
    meta: {
      resourceType: 'Schema',
      location: `${baseUrl}/Schemas/${schema.id}`,
    },
  };
}

export const allSchemas: ScimSchema[] = [
  userSchema,
  enterpriseUserSchema,
  groupSchema,
];

function resourceTypeDocument(
  definition: ScimResourceDefinition,
  baseUrl: string,
): JsonObject {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: definition.name,
    name: definition.name,
    endpoint: definition.endpoint,
    description: definition.core.description,
    schema: definition.core.id,
    schemaExtensions: definition.extensions.map(e => ({
      schema: e.id,
      required: false,
    })),
    meta: {
      resourceType: 'ResourceType',
      location: `${baseUrl}/ResourceTypes/${definition.name}`,
    },
  };
}

export function resourceTypeDocuments(baseUrl: string): JsonObject[] {
  return [userResource, groupResource].map(d =>
    resourceTypeDocument(d, baseUrl),
  );
}
