/**
 * A permission policy that allows destructive catalog operations and the
 * Identity page only to configured groups, nested groups included, resolved
 * from the catalog and fresh within seconds.
 *
 * @packageDocumentation
 */

export { permissionModuleIdentityPolicy as default } from './module';
export {
  IdentityPermissionPolicy,
  type IdentityPermissionPolicyOptions,
} from './IdentityPermissionPolicy';
export type { PolicyEntityReader } from './PolicyEntityReader';
export { defaultGuardedPermissions } from './defaultGuardedPermissions';
export {
  readIdentityPolicyConfig,
  type IdentityPolicyConfig,
  type PolicyRule,
} from './readIdentityPolicyConfig';
export { AuthorizeRequestContext } from './AuthorizeRequestContext';
