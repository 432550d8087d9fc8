/**
 * A permission policy that allows destructive catalog operations and the
 * Identity page only to configured groups, nested groups included, resolved
 * from the catalog and fresh within seconds.
 *
 * @packageDocumentation
 */

export { permissionModuleIdentityPolicy as default } from './module';
// For a backend that builds the policy itself (the policy benchmark does).
export {
  IdentityPermissionPolicy,
  type IdentityPermissionPolicyOptions,
} from './IdentityPermissionPolicy';
export type { PolicyEntityReader } from './PolicyEntityReader';
export {
  readIdentityPolicyConfig,
  type IdentityPolicyConfig,
  type PolicyRule,
} from './readIdentityPolicyConfig';
