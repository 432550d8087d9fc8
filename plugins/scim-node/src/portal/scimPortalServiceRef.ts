import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { ScimPortalApi } from './ScimPortalApi';
import { ScimPortalClient } from './ScimPortalClient';

/**
 * The scim plugin's portal API for the plugin that depends on it: a
 * {@link ScimPortalClient} with that plugin's own service credentials.
 *
 * @public
 */
export const scimPortalServiceRef = createServiceRef<ScimPortalApi>({
  id: 'identity-governance.scim.portal',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      factory: ({ discovery, auth }) =>
        new ScimPortalClient({ discovery, auth }),
    }),
});
