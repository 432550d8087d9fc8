import { Entity } from '@backstage/catalog-model';

/** The origin the test directory provider stamps on what it emits. */
export const DIRECTORY_ORIGIN = 'test-directory:demo';

function annotations(origin: string) {
  return {
    'backstage.io/managed-by-location': origin,
    'backstage.io/managed-by-origin-location': origin,
  };
}

export function user(name: string, memberOf: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      namespace: 'default',
      annotations: annotations(DIRECTORY_ORIGIN),
    },
    spec: { profile: { displayName: name }, memberOf },
  };
}

export function group(
  name: string,
  spec: { parent?: string; children?: string[]; members?: string[] } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      namespace: 'default',
      annotations: annotations(DIRECTORY_ORIGIN),
    },
    spec: { type: 'team', children: [], ...spec },
  };
}

export function component(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: annotations(DIRECTORY_ORIGIN),
    },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

/**
 * The demo's organisation: platform-admins with a nested EMEA group, SRE,
 * an ordinary squad, developers who may register files, and one admin who
 * is about to be removed.
 */
export function demoOrg(): Entity[] {
  return [
    group('platform-admins', { children: ['platform-admins-emea'] }),
    group('platform-admins-emea', { parent: 'platform-admins' }),
    group('sre'),
    group('squad-a'),
    group('developers'),
    user('ada.admin', ['platform-admins']),
    user('nina.nested', ['platform-admins-emea']),
    user('sam.sre', ['sre']),
    user('oscar.ordinary', ['squad-a']),
    user('dana.dev', ['developers']),
    user('rita.removed', ['platform-admins']),
    component('platform-service', 'group:default/platform-admins'),
    component('squad-a-service', 'group:default/squad-a'),
    ...Array.from({ length: 6 }, (_, i) =>
      component(`disposable-${i}`, 'group:default/sre'),
    ),
  ];
}
