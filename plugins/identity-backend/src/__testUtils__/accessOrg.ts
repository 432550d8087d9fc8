/**
 * The demo organisation of the identity policy's tests (platform-admins with
 * a nested EMEA group, SRE, an ordinary squad under engineering, developers,
 * a user in no group) as a catalog file, with components to own.
 */
export function accessOrgYaml(): string {
  const doc = (kind: string, name: string, spec: object) =>
    `---\n${JSON.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name },
      spec,
    })}\n`;
  const group = (
    name: string,
    spec: { parent?: string; children?: string[] } = {},
  ) => doc('Group', name, { type: 'team', children: [], ...spec });
  const user = (name: string, memberOf: string[]) =>
    doc('User', name, {
      profile: { displayName: name, email: `${name}@example.com` },
      memberOf,
    });
  const component = (name: string, owner: string) =>
    doc('Component', name, { type: 'service', lifecycle: 'production', owner });
  return [
    group('platform-admins', { children: ['platform-admins-emea'] }),
    group('platform-admins-emea', { parent: 'platform-admins' }),
    group('sre'),
    group('engineering', { children: ['squad-a'] }),
    group('squad-a', { parent: 'engineering' }),
    group('developers'),
    user('ada.admin', ['platform-admins']),
    user('nina.nested', ['platform-admins-emea']),
    user('sam.sre', ['sre']),
    user('oscar.ordinary', ['squad-a']),
    user('dana.dev', ['developers']),
    user('rita.removed', ['platform-admins']),
    user('lonely', []),
    component('owned-by-squad', 'group:default/squad-a'),
    component('owned-by-oscar', 'user:default/oscar.ordinary'),
    component('owned-by-engineering', 'group:default/engineering'),
    component('owned-by-sre', 'group:default/sre'),
    component('unowned', 'group:default/no-such-group'),
  ].join('');
}

/** Every user of {@link accessOrgYaml}, and a ref the catalog does not have. */
export const ACCESS_ORG_USERS = [
  'user:default/ada.admin',
  'user:default/nina.nested',
  'user:default/sam.sre',
  'user:default/oscar.ordinary',
  'user:default/dana.dev',
  'user:default/rita.removed',
  'user:default/lonely',
];

/** The policy of the access tests. */
export const accessPolicyConfig = {
  adminGroups: ['group:default/platform-admins'],
  rules: [
    {
      permission: 'catalog.entity.refresh',
      allowGroups: ['group:default/sre'],
    },
    {
      action: 'create',
      allowGroups: ['group:default/developers'],
    },
    { permission: 'catalog.entity.delete', allowOwners: true },
  ],
};
