import { identityPlugin } from './alpha/plugin';

export {
  identityApi,
  identityCheckAccessPage,
  identityDryRunPage,
  identityGroupsPage,
  identityMyAccessPage,
  identityPage,
  identityUsersPage,
  identityWhoCanPage,
} from './alpha/plugin';

/**
 * The Identity plugin for the new frontend system: discovered automatically
 * by apps with `app.packages: all`.
 *
 * @alpha
 */
export default identityPlugin;
