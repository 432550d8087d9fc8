import { identityPlugin } from './alpha/plugin';

/**
 * The Identity plugin for the new frontend system: discovered automatically
 * by apps with `app.packages: all`.
 *
 * @remarks
 *
 * Its extensions (the page `page:identity`, its tabs `sub-page:identity/users`,
 * `/groups`, `/my-access`, `/who-can`, `/check-access`, `/dry-run` and `/reviews`, and the
 * API `api:identity`) are configured under `app.extensions` and overridden
 * through `getExtension`.
 *
 * @alpha
 */
export default identityPlugin;
