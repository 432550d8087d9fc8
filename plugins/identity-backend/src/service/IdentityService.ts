import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  IdentityGroupDetail,
  IdentityGroupTree,
  IdentityOffboardPreview,
  IdentityOffboardResult,
  IdentityPage,
  IdentitySummary,
  IdentityUser,
  IdentitySourceConflict,
  IdentityUserDetail,
} from '@identity-governance/plugin-identity-common';
import { PageRequest, UserFilter, UserSort } from '../store/IdentityStore';

/** One CSV row: a user and one of their memberships (or none). */
export interface IdentityExportRow {
  userRef: string;
  name: string;
  displayName: string;
  email: string;
  source: string;
  flags: string;
  managedByLocation: string;
  originLocation: string;
  groupRef: string;
  membership: 'direct' | 'inherited' | '';
  path: string;
}

/** The Identity API's operations; permission checks happen before these. */
export interface IdentityService {
  listUsers(
    filter: UserFilter,
    sort: UserSort,
    page: PageRequest,
  ): Promise<IdentityPage<IdentityUser>>;
  getUser(entityRef: string): Promise<IdentityUserDetail>;
  /** SCIM records held back because another source has their entity ref. */
  listConflicts(): Promise<IdentitySourceConflict[]>;
  getGroupTree(): Promise<IdentityGroupTree>;
  getGroup(entityRef: string, page: PageRequest): Promise<IdentityGroupDetail>;
  getSummary(): Promise<IdentitySummary>;
  /** The export's rows, a batch of users' at a time, in entity ref order. */
  exportRows(filter: UserFilter): AsyncIterable<IdentityExportRow[]>;
  previewOffboard(entityRef: string): Promise<IdentityOffboardPreview>;
  offboard(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<IdentityOffboardResult>;
  refreshUser(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void>;
}
