import { summarize, Summary } from './stats';

export interface Timed {
  summary: Summary;
  errors: number;
  /** Items matched (`totalItems`) per request, where the response says. */
  matched?: Summary;
}

/**
 * Sends the requests one after the other (one client, keep-alive) and times
 * each from the call until its body is read in full.
 */
export async function timeRequests(
  urls: string[],
  token: string,
  warmup: number,
): Promise<Timed> {
  const latencies: number[] = [];
  const matched: number[] = [];
  let errors = 0;
  for (let i = 0; i < urls.length; i++) {
    const started = performance.now();
    const res = await fetch(urls[i], {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await res.text();
    const elapsed = performance.now() - started;
    if (i < warmup) {
      continue;
    }
    if (!res.ok) {
      errors += 1;
      continue;
    }
    latencies.push(elapsed);
    const total = /"totalItems":(\d+)/.exec(body)?.[1];
    if (total !== undefined && !urls[i].includes('totalItems=exclude')) {
      matched.push(Number(total));
    }
  }
  return {
    summary: summarize(latencies),
    errors,
    matched: matched.length ? summarize(matched) : undefined,
  };
}

export interface CsvRun {
  status: number;
  ttfbMs: number;
  totalMs: number;
  bytes: number;
  /** Data lines (one per user and group membership, or per user without). */
  records: number;
  users: number;
}

/** Streams one CSV export, counting bytes, lines and distinct users. */
export async function timeCsvExport(url: string, token: string) {
  const started = performance.now();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
  });
  let ttfb = NaN;
  let bytes = 0;
  let lines = 0;
  let partial = '';
  const users = new Set<string>();
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    if (Number.isNaN(ttfb)) {
      ttfb = performance.now() - started;
    }
    bytes += value.byteLength;
    const text = partial + decoder.decode(value, { stream: true });
    const parts = text.split('\r\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines += 1;
      // user_ref comes first and never needs quoting.
      users.add(line.slice(0, line.indexOf(',')));
    }
  }
  const totalMs = performance.now() - started;
  if (partial) {
    lines += 1;
    users.add(partial.slice(0, partial.indexOf(',')));
  }
  users.delete('user_ref');
  return {
    status: res.status,
    ttfbMs: ttfb,
    totalMs,
    bytes,
    records: Math.max(0, lines - 1),
    users: users.size,
  } satisfies CsvRun;
}
