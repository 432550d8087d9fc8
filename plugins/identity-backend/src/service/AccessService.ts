import {
  AccessExplanation,
  CheckAccessRequest,
  DryRunResponse,
  GuardedPermissionInfo,
  UserAccessResponse,
  WhoCanResponse,
} from '@identity-governance/plugin-identity-common';
import { PageRequest } from '../store/IdentityStore';

/** One row of the who-can CSV: a user allowed a permission, and why. */
export interface WhoCanExportRow {
  userRef: string;
  name: string;
  displayName: string;
  email: string;
  groupRef: string;
  /** `user -> group -> ... -> granting group`. */
  path: string;
  /** `admin-group`, or `rule identityPolicy.rules[0]`. */
  decidedBy: string;
}

/**
 * Effective access and the policy dry-run, explained by the permission
 * policy itself; permission checks happen before these.
 */
export interface AccessService {
  /** Every guarded permission, explained for one user. */
  explainUser(userEntityRef: string): Promise<UserAccessResponse>;
  /** One explanation; `InputError` for an unknown permission. */
  check(request: CheckAccessRequest): Promise<AccessExplanation>;
  guardedPermissions(): Promise<GuardedPermissionInfo[]>;
  /** Users of the index the policy allows a permission, by name. */
  whoCan(
    permission: string,
    query: { q?: string } & PageRequest,
  ): Promise<WhoCanResponse>;
  /**
   * Every such user, in batches, in entity ref order. Checks the permission
   * name before it returns, so that a bad one fails before the CSV starts.
   */
  whoCanExport(permission: string): Promise<AsyncIterable<WhoCanExportRow[]>>;
  /** What a proposed `identityPolicy` block (YAML) would change. */
  dryRun(yaml: string): Promise<DryRunResponse>;
}
