import { Entity } from '@backstage/catalog-model';

export const TRUSTED = 'url:https://hr.example.com/org.yaml';
export const UNTRUSTED = 'file:/tmp/someone-registered.yaml';

export function user(
  name: string,
  memberOf: string[] = [],
  origin: string = TRUSTED,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': origin,
        'backstage.io/managed-by-origin-location': origin,
      },
    },
    spec: { memberOf },
  };
}

export function group(
  name: string,
  spec: { parent?: string; children?: string[]; members?: string[] } = {},
  origin: string = TRUSTED,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': origin,
        'backstage.io/managed-by-origin-location': origin,
      },
    },
    spec: { type: 'team', children: [], ...spec },
  };
}
