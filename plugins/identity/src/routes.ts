import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The Identity page. A legacy route ref, which the new frontend system accepts
 * as well, so both systems share one.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'identity' });
