import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_SCIM_ID,
  ANNOTATION_SCIM_IDP,
  ANNOTATION_SCIM_PROVISIONED_AT,
  ANNOTATION_SCIM_UPDATED_AT,
  ANNOTATION_SCIM_USER_NAME,
  SCIM_ANNOTATION_PREFIX,
  scimLocationOf,
} from '@identity-governance/plugin-scim-node';
import { toIndexedUser } from './toIndexedEntity';

function user(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'ada', namespace: 'default', annotations },
    spec: { profile: { email: 'ada@example.com' }, memberOf: [] },
  };
}

/** The annotations the SCIM catalog module writes on a user it emits. */
const scimAnnotations = {
  'backstage.io/managed-by-location': scimLocationOf('entra'),
  'backstage.io/managed-by-origin-location': scimLocationOf('entra'),
  [ANNOTATION_SCIM_IDP]: 'entra',
  [ANNOTATION_SCIM_ID]: '2819c223',
  [ANNOTATION_SCIM_USER_NAME]: 'ada@example.com',
  [ANNOTATION_SCIM_PROVISIONED_AT]: '2025-01-01T00:00:00.000Z',
  [ANNOTATION_SCIM_UPDATED_AT]: '2025-01-02T00:00:00.000Z',
};

describe('toIndexedUser', () => {
  it('takes a user the SCIM catalog module emits as SCIM-managed and active', () => {
    const indexed = toIndexedUser(user(scimAnnotations));
    expect(indexed).toMatchObject({
      entityRef: 'user:default/ada',
      source: 'scim',
      scimManaged: true,
      deactivated: false,
    });
    expect(indexed.details.annotations).toEqual(scimAnnotations);
  });

  it('does not read a deactivation from SCIM annotations nobody writes', () => {
    // The SCIM catalog module emits active users only; a deactivated one
    // leaves the catalog. Annotations like these come from elsewhere.
    const indexed = toIndexedUser(
      user({
        ...scimAnnotations,
        [`${SCIM_ANNOTATION_PREFIX}/active`]: 'false',
        [`${SCIM_ANNOTATION_PREFIX}/deactivated-at`]:
          '2025-02-01T00:00:00.000Z',
      }),
    );
    expect(indexed.scimManaged).toBe(true);
    expect(indexed.deactivated).toBe(false);
  });

  it('takes a user without SCIM annotations as not SCIM-managed', () => {
    const indexed = toIndexedUser(
      user({
        'backstage.io/managed-by-location': 'file:/org/users.yaml',
        // A key that starts like the SCIM prefix but is another domain.
        [`${SCIM_ANNOTATION_PREFIX}.example.com/id`]: 'x',
      }),
    );
    expect(indexed).toMatchObject({
      source: 'file',
      scimManaged: false,
      deactivated: false,
    });
  });
});
