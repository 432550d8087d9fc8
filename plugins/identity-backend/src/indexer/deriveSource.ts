import { Entity } from '@backstage/catalog-model';
import { IdentitySource } from '@identity-governance/plugin-identity-common';
import { SCIM_ANNOTATION_PREFIX } from '@identity-governance/plugin-scim-node';

const MANAGED_BY_LOCATION = 'backstage.io/managed-by-location';

/** Annotation key prefixes that name a provider, checked in this order. */
const providerAnnotationPrefixes: Array<[string, IdentitySource]> = [
  [`${SCIM_ANNOTATION_PREFIX}/`, 'scim'],
  ['graph.microsoft.com/', 'msgraph'],
  ['okta.com/', 'okta'],
  ['backstage.io/ldap-', 'ldap'],
  ['github.com/', 'github'],
];

/** Location types (`<type>:<target>`) that name a provider. */
const locationTypes: Record<string, IdentitySource> = {
  scim: 'scim',
  msgraph: 'msgraph',
  okta: 'okta',
  ldap: 'ldap',
  github: 'github',
  'github-org': 'github',
  file: 'file',
  url: 'url',
};

/** Whether an annotation key tells which provider emitted the entity. */
export function isProviderAnnotation(key: string): boolean {
  return (
    key === MANAGED_BY_LOCATION ||
    key === 'backstage.io/managed-by-origin-location' ||
    providerAnnotationPrefixes.some(([prefix]) => key.startsWith(prefix)) ||
    key.startsWith('keycloak.org/') ||
    /^[^/]*gitlab[^/]*\/user-login$/.test(key)
  );
}

/**
 * Tells a record's source. Provider annotations win over the location because
 * some providers (GitHub org) emit `url:` locations.
 */
export function deriveSource(entity: Entity): IdentitySource {
  const annotations = entity.metadata.annotations ?? {};
  const keys = Object.keys(annotations);
  for (const [prefix, source] of providerAnnotationPrefixes) {
    if (keys.some(k => k.startsWith(prefix))) {
      return source;
    }
  }
  const location = annotations[MANAGED_BY_LOCATION] ?? '';
  const type = location.slice(0, Math.max(0, location.indexOf(':')));
  if (locationTypes[type]) {
    return locationTypes[type];
  }
  // Providers without a fixed type name (e.g. Roadie's Okta provider uses its
  // provider name as the location) are recognised by name.
  if (/okta/i.test(type)) {
    return 'okta';
  }
  if (/ldap/i.test(type)) {
    return 'ldap';
  }
  if (/msgraph|microsoft|entra/i.test(type)) {
    return 'msgraph';
  }
  return 'other';
}
