import {
  ReviewItem,
  ReviewRevocationStep,
} from '@identity-governance/plugin-identity-common';
import { CsvColumn } from '../export/writeCsv';

/** An item with its revocation flattened into cells. */
export type ReviewExportRow = ReviewItem & {
  revocationStatus?: string;
  revocationEffectiveAt?: string;
  revocationCheckedAt?: string;
  revocationSteps?: string;
};

/** `file /org.yaml:12: Remove ...`: one step, as one line of text. */
export function describeStep(step: ReviewRevocationStep): string {
  const where = step.target
    ? ` ${step.target}${step.line ? `:${step.line}` : ''}`
    : '';
  return `${step.kind}${where}: ${step.change}`;
}

export function toExportRow(item: ReviewItem): ReviewExportRow {
  const r = item.revocation;
  return r
    ? {
        ...item,
        revocationStatus: r.status,
        revocationEffectiveAt: r.effectiveAt,
        revocationCheckedAt: r.checkedAt,
        // One line per record: a bare LF inside a cell is not quoted with
        // CRLF records, and spreadsheets would split the row there.
        revocationSteps: r.steps.map(describeStep).join(' | '),
      }
    : item;
}

export const reviewExportColumns: Array<CsvColumn<ReviewExportRow>> = [
  { key: 'id', header: 'item_id' },
  { key: 'userRef', header: 'user_ref' },
  { key: 'displayName', header: 'display_name' },
  { key: 'email', header: 'email' },
  { key: 'access', header: 'access' },
  { key: 'groupRef', header: 'group_ref' },
  { key: 'path', header: 'path' },
  { key: 'source', header: 'source' },
  { key: 'managedByLocation', header: 'managed_by_location' },
  { key: 'groupManagedByLocation', header: 'group_managed_by_location' },
  { key: 'decidedBy', header: 'allowed_by' },
  { key: 'reviewer', header: 'reviewer' },
  { key: 'decision', header: 'decision' },
  { key: 'decidedByRef', header: 'decided_by' },
  { key: 'decidedAt', header: 'decided_at' },
  { key: 'comment', header: 'comment' },
  { key: 'revocationStatus', header: 'revocation_status' },
  { key: 'revocationEffectiveAt', header: 'revocation_effective_at' },
  { key: 'revocationCheckedAt', header: 'revocation_checked_at' },
  { key: 'revocationSteps', header: 'revocation_steps' },
];

/** The items as export rows, batch by batch. */
export async function* toExportRows(
  batches: AsyncIterable<ReviewItem[]>,
): AsyncIterable<ReviewExportRow[]> {
  for await (const batch of batches) {
    yield batch.map(toExportRow);
  }
}
