import {
  ReviewCampaign,
  ReviewDecision,
  ReviewItem,
  ReviewRevocation,
  ReviewRevocationStep,
} from '@identity-governance/plugin-identity-common';

export const CAMPAIGNS = 'identity_review_campaigns';
export const ITEMS = 'identity_review_items';

export interface CampaignRow {
  id: string;
  name: string;
  scope: string;
  status: string;
  created_by: string;
  created_at: string;
  due_at: string;
  closed_at: string | null;
  closed_by: string | null;
  item_count: number | string;
}

export interface ItemRow {
  id: string;
  campaign_id: string;
  seq: number;
  user_ref: string;
  display_name: string | null;
  email: string | null;
  access: string;
  group_ref: string | null;
  path: string;
  source: string;
  managed_by_location: string | null;
  group_managed_by_location: string | null;
  decided_by_rule: string | null;
  reviewer: string;
  decision: string | null;
  comment: string | null;
  decided_at: string | null;
  decided_by: string | null;
  revocation_status?: string | null;
  revocation_steps?: string | null;
  revocation_effective_at?: string | null;
  revocation_checked_at?: string | null;
}

export function toCampaign(
  row: CampaignRow,
  decidedCount: number,
): ReviewCampaign {
  return {
    id: row.id,
    name: row.name,
    scope: JSON.parse(row.scope),
    status: row.status === 'closed' ? 'closed' : 'open',
    createdBy: row.created_by,
    createdAt: row.created_at,
    dueAt: row.due_at,
    ...(row.closed_at ? { closedAt: row.closed_at } : {}),
    ...(row.closed_by ? { closedBy: row.closed_by } : {}),
    itemCount: Number(row.item_count),
    decidedCount,
  };
}

export function toItem(row: ItemRow): ReviewItem {
  const item: ReviewItem = {
    id: row.id,
    campaignId: row.campaign_id,
    userRef: row.user_ref,
    access: row.access,
    path: row.path,
    source: row.source,
    reviewer: row.reviewer,
  };
  const optional: Array<[keyof ReviewItem, string | null]> = [
    ['displayName', row.display_name],
    ['email', row.email],
    ['groupRef', row.group_ref],
    ['managedByLocation', row.managed_by_location],
    ['groupManagedByLocation', row.group_managed_by_location],
    ['decidedBy', row.decided_by_rule],
    ['comment', row.comment],
    ['decidedAt', row.decided_at],
    ['decidedByRef', row.decided_by],
  ];
  for (const [key, value] of optional) {
    if (value !== null && value !== undefined) {
      (item as unknown as Record<string, string>)[key] = value;
    }
  }
  if (row.decision) {
    item.decision = row.decision as ReviewDecision;
  }
  const revocation = toRevocation(row);
  if (revocation) {
    item.revocation = revocation;
  }
  return item;
}

function toRevocation(row: ItemRow): ReviewRevocation | undefined {
  if (!row.revocation_status) {
    return undefined;
  }
  return {
    status: row.revocation_status === 'effective' ? 'effective' : 'pending',
    ...(row.revocation_effective_at
      ? { effectiveAt: row.revocation_effective_at }
      : {}),
    ...(row.revocation_checked_at
      ? { checkedAt: row.revocation_checked_at }
      : {}),
    steps: row.revocation_steps ? JSON.parse(row.revocation_steps) : [],
  };
}

/** The revocation columns a decision writes: cleared for a keep. */
export function revocationColumns(
  steps: ReviewRevocationStep[] | undefined,
): Pick<
  ItemRow,
  | 'revocation_status'
  | 'revocation_steps'
  | 'revocation_effective_at'
  | 'revocation_checked_at'
> {
  return {
    revocation_status: steps ? 'pending' : null,
    revocation_steps: steps ? JSON.stringify(steps) : null,
    revocation_effective_at: null,
    revocation_checked_at: null,
  };
}
