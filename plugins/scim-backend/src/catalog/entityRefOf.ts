import { stringifyEntityRef } from '@backstage/catalog-model';
import { ScimIdentityProviderConfig } from '../config/ScimConfig';

/** Per-IdP settings that shape the emitted entities. */
export type IdpSettings = (
  idp: string,
) => Pick<ScimIdentityProviderConfig, 'namespace' | 'groupType'>;

/**
 * The entity ref a record's entity lives at, lower-cased: what the history,
 * the ownership claims and the catalog module's removals name.
 */
export function entityRefOf(
  settings: IdpSettings,
  kind: 'User' | 'Group',
  idp: string,
  name: string,
): string {
  return stringifyEntityRef({
    kind,
    namespace: settings(idp).namespace,
    name,
  }).toLocaleLowerCase('en-US');
}
