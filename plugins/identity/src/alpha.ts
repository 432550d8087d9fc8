import { identityPlugin } from './alpha/plugin';

export {
  identityApi,
  identityGroupsPage,
  identityPage,
  identityUsersPage,
} from './alpha/plugin';

/**
 * The Identity plugin for the new frontend system: discovered automatically
 * by apps with `app.packages: all`.
 *
 * @alpha
 */
export default identityPlugin;
