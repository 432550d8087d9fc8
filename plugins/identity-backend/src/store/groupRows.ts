import { IdentitySource } from '@identity-governance/plugin-identity-common';
import { IndexedGroupWithDeclarations, StoredGroup } from './IdentityStore';

export type GroupRow = {
  entity_ref: string;
  etag: string;
  namespace: string;
  name: string;
  display_name: string | null;
  source: string;
  managed_by_location: string | null;
  parent_refs: string;
  child_refs: string;
  direct_member_count: number;
  total_member_count: number;
};

export function toGroupRow(group: IndexedGroupWithDeclarations): Omit<
  GroupRow,
  'direct_member_count' | 'total_member_count'
> & {
  declarations: string;
} {
  return {
    declarations: JSON.stringify(group.declarations),
    entity_ref: group.entityRef,
    etag: group.etag,
    namespace: group.namespace,
    name: group.name,
    display_name: group.displayName ?? null,
    source: group.source,
    managed_by_location: group.managedByLocation ?? null,
    parent_refs: JSON.stringify(group.parentRefs),
    child_refs: JSON.stringify(group.childRefs),
  };
}

export function fromGroupRow(row: GroupRow): StoredGroup {
  return {
    entityRef: row.entity_ref,
    etag: row.etag,
    namespace: row.namespace,
    name: row.name,
    displayName: row.display_name ?? undefined,
    source: row.source as IdentitySource,
    managedByLocation: row.managed_by_location ?? undefined,
    parentRefs: JSON.parse(row.parent_refs),
    childRefs: JSON.parse(row.child_refs),
    directMemberCount: Number(row.direct_member_count),
    totalMemberCount: Number(row.total_member_count),
  };
}
