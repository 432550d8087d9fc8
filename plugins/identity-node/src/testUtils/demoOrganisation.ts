import { Entity } from '@backstage/catalog-model';
import { catalogSource } from './catalogSource';

/**
 * The users of {@link demoOrganisation}, as entity refs.
 *
 * @public
 */
export const DEMO_ORGANISATION_USERS: readonly string[] = [
  'user:default/ada.admin',
  'user:default/nina.nested',
  'user:default/sam.sre',
  'user:default/oscar.ordinary',
  'user:default/dana.dev',
  'user:default/rita.removed',
  'user:default/lonely.user',
];

/**
 * A small demo organisation for tests, with the demo app's names for the same
 * roles (examples/demo-org): `ada.admin` in `platform-admins`; `nina.nested`
 * an admin only through `platform-admins-emea`, a child group of it;
 * `sam.sre` in `sre`; `oscar.ordinary` in `squad-a`, a child group of
 * `engineering`, nowhere near an admin group; `lonely.user` in no group.
 * Beyond the demo app's: `dana.dev` in `developers`, a group a rule may let
 * register files, and `rita.removed`, an admin a test removes from
 * `platform-admins`.
 *
 * With components to own: `platform-service` (platform-admins),
 * `squad-a-service` and `owned-by-squad` (squad-a), `owned-by-oscar`,
 * `owned-by-engineering` (squad-a's parent group), `owned-by-sre` and
 * `disposable-0` to `disposable-5` (sre), and `unowned`, owned by a group the
 * catalog does not have.
 *
 * Every user has a display name equal to its name and the email
 * `<name>@example.com`. With an `origin`, every entity carries it (see
 * {@link catalogSource}); without, they are as written in a catalog file.
 *
 * @public
 */
export function demoOrganisation(origin?: string): Entity[] {
  const { user, group, component } = catalogSource(origin);
  const person = (name: string, memberOf: string[]) =>
    user(name, memberOf, { displayName: name, email: `${name}@example.com` });
  return [
    group('platform-admins', { children: ['platform-admins-emea'] }),
    group('platform-admins-emea', { parent: 'platform-admins' }),
    group('sre'),
    group('engineering', { children: ['squad-a'] }),
    group('squad-a', { parent: 'engineering' }),
    group('developers'),
    person('ada.admin', ['platform-admins']),
    person('nina.nested', ['platform-admins-emea']),
    person('sam.sre', ['sre']),
    person('oscar.ordinary', ['squad-a']),
    person('dana.dev', ['developers']),
    person('rita.removed', ['platform-admins']),
    person('lonely.user', []),
    component('platform-service', 'group:default/platform-admins'),
    component('squad-a-service', 'group:default/squad-a'),
    component('owned-by-squad', 'group:default/squad-a'),
    component('owned-by-oscar', 'user:default/oscar.ordinary'),
    component('owned-by-engineering', 'group:default/engineering'),
    component('owned-by-sre', 'group:default/sre'),
    ...Array.from({ length: 6 }, (_, i) =>
      component(`disposable-${i}`, 'group:default/sre'),
    ),
    component('unowned', 'group:default/no-such-group'),
  ];
}
