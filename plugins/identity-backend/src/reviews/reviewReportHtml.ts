import {
  ReviewCampaign,
  ReviewItem,
  ReviewScope,
} from '@identity-governance/plugin-identity-common';

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every value in the report passes here: names come from IdPs. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, c => escapes[c]);
}

// Self-contained: no scripts, no external fonts or sheets, so that the page
// prints and archives the same anywhere.
const STYLE = `
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;margin:24px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eee}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.muted{color:#555}.ref{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.keep{color:#1b5e20}.revoke{color:#b71c1c}.effective{color:#1b5e20}.pending{color:#8a5300}
ol.steps{margin:0;padding-left:18px}
@media print{
  @page{size:A4 landscape;margin:12mm}
  body{margin:0;font-size:10px}
  thead{display:table-header-group}
  tr{break-inside:avoid}
  th{background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}
}`;

function describeScope(scope: ReviewScope): string {
  if (scope.type === 'permission') {
    return `Who is allowed ${scope.permission}`;
  }
  if (scope.type === 'groups') {
    return `Members of ${scope.groups.join(', ')}`;
  }
  return 'Everyone allowed a guarded permission';
}

const cell = (value: unknown, cls = '') =>
  `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(value)}</td>`;

/** The page up to the items table's body: facts and reviewer progress. */
export function reportHead(campaign: ReviewCampaign, generatedAt: string) {
  const facts: Array<[string, unknown]> = [
    ['Campaign', campaign.id],
    ['Scope', describeScope(campaign.scope)],
    ['Status', campaign.status],
    ['Started by', `${campaign.createdBy} at ${campaign.createdAt}`],
    ['Due', campaign.dueAt],
    [
      'Closed',
      campaign.closedAt ? `${campaign.closedAt} by ${campaign.closedBy}` : '—',
    ],
    ['Items', campaign.itemCount],
    ['Decided', campaign.decidedCount],
    ['Report generated', generatedAt],
  ];
  const progress = (campaign.progress ?? [])
    .map(
      p =>
        `<tr>${cell(p.reviewer, 'ref')}${cell(p.total)}${cell(p.decided)}${cell(
          p.kept,
        )}${cell(p.revoked)}${cell(p.total - p.decided)}</tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Access review: ${escapeHtml(campaign.name)}</title>
<style>${STYLE}</style></head><body>
<h1>Access review: ${escapeHtml(campaign.name)}</h1>
<dl class="facts">${facts
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join('')}</dl>
<h2>Reviewers</h2>
<table><thead><tr><th>Reviewer</th><th>Items</th><th>Decided</th><th>Kept</th><th>Revoked</th><th>Open</th></tr></thead>
<tbody>${progress}</tbody></table>
<h2>Items</h2>
<table><thead><tr><th>#</th><th>Person</th><th>Access</th><th>Path</th><th>Reviewer</th><th>Decision</th><th>Decided by</th><th>Decided at</th><th>Comment</th><th>Revocation</th><th>Steps</th></tr></thead>
<tbody>
`;
}

function revocationCell(item: ReviewItem): string {
  const r = item.revocation;
  if (!r) {
    return cell('');
  }
  const when =
    r.status === 'effective'
      ? `<br><span class="muted">at ${escapeHtml(r.effectiveAt)}</span>`
      : '';
  const checked = r.checkedAt
    ? `<br><span class="muted">checked ${escapeHtml(r.checkedAt)}</span>`
    : '<br><span class="muted">not checked yet</span>';
  return `<td class="${r.status}">${escapeHtml(
    r.status,
  )}${when}${checked}</td>`;
}

function stepsCell(item: ReviewItem): string {
  const steps = item.revocation?.steps ?? [];
  if (!steps.length) {
    return cell('');
  }
  const li = steps.map(s => {
    const where = s.target
      ? ` <span class="ref">${escapeHtml(s.target)}${
          s.line ? `:${escapeHtml(s.line)}` : ''
        }</span>`
      : '';
    return `<li><b>${escapeHtml(s.kind)}</b> <span class="muted">(${escapeHtml(
      s.source,
    )})</span>${where}<br>${escapeHtml(s.change)}</li>`;
  });
  return `<td><ol class="steps">${li.join('')}</ol></td>`;
}

/** One batch of item rows, numbered from `first`. */
export function reportRows(items: ReviewItem[], first: number): string {
  return items
    .map((item, i) => {
      const person = `${escapeHtml(
        item.displayName ?? '',
      )}<br><span class="ref">${escapeHtml(item.userRef)}</span>${
        item.email
          ? `<br><span class="muted">${escapeHtml(item.email)}</span>`
          : ''
      }`;
      return `<tr>${cell(first + i)}<td>${person}</td>${cell(
        item.access,
        'ref',
      )}${cell(item.path, 'ref')}${cell(item.reviewer, 'ref')}${cell(
        item.decision ?? 'undecided',
        item.decision ?? 'muted',
      )}${cell(item.decidedByRef, 'ref')}${cell(item.decidedAt)}${cell(
        item.comment,
      )}${revocationCell(item)}${stepsCell(item)}</tr>\n`;
    })
    .join('');
}

export const REPORT_TAIL = '</tbody></table>\n</body></html>\n';

/** The whole report, batch by batch: a head, rows, a tail. */
export async function* reviewReportHtml(
  campaign: ReviewCampaign,
  batches: AsyncIterable<ReviewItem[]>,
  generatedAt: string,
): AsyncIterable<string> {
  yield reportHead(campaign, generatedAt);
  let n = 1;
  for await (const batch of batches) {
    yield reportRows(batch, n);
    n += batch.length;
  }
  yield REPORT_TAIL;
}
