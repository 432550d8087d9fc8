import { Browser, BrowserContext, chromium, Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/debianChromium';

/** The two pages compared, as the benchmark drives them. */
export interface PageUnderTest {
  key: 'identity' | 'catalog';
  label: string;
  /** Where navigation goes. */
  path: string;
  /** Data rows that count as "shown" (the page size of `path`). */
  rows: number;
  /** The search box. */
  search: string;
  /** The query parameter the search ends up in once sent. */
  searchParam: string;
  /** How long the page waits after the last keystroke before searching. */
  debounceMs: number;
  /** Start of the URL of the request that fills the table. */
  dataRequest: string;
  /** Its query parameter holding the search. */
  dataSearchParam: string;
}

/** A request's start and end, in ms from navigation start. */
export interface Span {
  start: number;
  end: number;
}

export interface NavigationSample {
  /** From navigation start until the frame with the rows (rAF after them). */
  shownMs: number;
  /** From navigation start until the rows were in the DOM. */
  domMs: number;
  domContentLoadedMs: number;
  /** The sign-in refresh (`/api/auth/demo/refresh`). */
  signIn?: Span;
  /** The first permission check (`/api/permission/authorize`). */
  permission?: Span;
  /** The first request for the table's rows. */
  data?: Span;
}

export interface SearchSample {
  term: string;
  /** From the last keystroke until the table's last change. */
  settleMs: number;
  /** The search request, in ms from the last keystroke. */
  request?: Span;
  /**
   * Requests for the table's rows from the first keystroke on, the last
   * one's included: how many searches the typing sent.
   */
  requests?: number;
  rows: number;
  /** Rows whose text does not contain the term (should be 0). */
  mismatched: number;
  /**
   * Main-thread tasks over 50 ms (the Long Tasks API) from the last keystroke
   * until the table settled: their summed time, clipped to that window.
   */
  longTasksMs?: number;
  /** URL writes (history push or replace) from the first keystroke on. */
  urlWrites?: number[];
}

interface Probe {
  rowsShownAt: number | null;
  rowsPaintAt: number | null;
  firstInput: number;
  lastInput: number;
  lastRegionMutation: number;
  longTasks: Array<{ start: number; end: number }>;
  urlWrites: number[];
  /**
   * The page's table (the Users table on the Identity page) with what
   * surrounds it: paging, progress bar.
   */
  findRegion: () => Element | null;
  /** The table's data rows: they link to the entity; placeholders do not. */
  dataRows: () => Element[];
}

declare global {
  interface Window {
    __identityBench: Probe;
  }
}

/**
 * Runs in every page before the app: signs in as Ada through the demo
 * picker's remembered choice, and watches the DOM for the first full page of
 * rows and for the last change of the table (rows, progress bar, counts).
 */
function instrument(config: { identityRows: number; catalogRows: number }) {
  window.sessionStorage.setItem(
    'demoSignIn.userEntityRef',
    'user:default/ada.admin',
  );
  const isIdentity = () => window.location.pathname.startsWith('/identity');
  const findTable = () =>
    document.querySelector(
      isIdentity() ? 'table[aria-label="Users"]' : 'table',
    );
  const findRegion = () => {
    const table = findTable();
    return table?.closest('.MuiPaper-root') ?? table;
  };
  const dataRows = () =>
    Array.from(findTable()?.querySelectorAll('tbody tr') ?? []).filter(tr =>
      tr.querySelector('a[href]'),
    );
  const probe: Probe = {
    rowsShownAt: null,
    rowsPaintAt: null,
    firstInput: 0,
    lastInput: 0,
    lastRegionMutation: 0,
    longTasks: [],
    urlWrites: [],
    findRegion,
    dataRows,
  };
  window.__identityBench = probe;
  // Where a search's time goes besides its request: main-thread work (a
  // render of the whole app after a URL change, say) and the URL writes.
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      probe.longTasks.push({
        start: entry.startTime,
        end: entry.startTime + entry.duration,
      });
    }
  }).observe({ type: 'longtask', buffered: true });
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = window.history[method];
    window.history[method] = function record(
      this: History,
      ...args: Parameters<History['pushState']>
    ) {
      probe.urlWrites.push(performance.now());
      return original.apply(this, args);
    };
  }
  performance.setResourceTimingBufferSize(2000);
  document.addEventListener(
    'input',
    event => {
      probe.lastInput = event.timeStamp;
      probe.firstInput ||= event.timeStamp;
    },
    true,
  );
  new MutationObserver(records => {
    const now = performance.now();
    const table = findTable();
    if (!table) {
      return;
    }
    if (probe.rowsShownAt === null) {
      const wanted = isIdentity() ? config.identityRows : config.catalogRows;
      if (dataRows().length >= wanted) {
        probe.rowsShownAt = now;
        requestAnimationFrame(() => {
          probe.rowsPaintAt = performance.now();
        });
      }
    }
    const region = findRegion()!;
    for (const record of records) {
      const target = record.target;
      if (
        region.contains(target) ||
        Array.from(record.addedNodes).some(
          n => n === region || n.contains(region),
        )
      ) {
        probe.lastRegionMutation = now;
        break;
      }
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

const VIEWPORT = { width: 1440, height: 900 };

/**
 * A browser with an in-memory context, as Playwright makes by default: it
 * keeps the HTTP cache between tabs, but, like an incognito window, no
 * compiled-code cache, so every tab parses and compiles the app's scripts.
 */
export async function launch(): Promise<{
  browser: Browser;
  context: BrowserContext;
}> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({ viewport: VIEWPORT });
  return { browser, context };
}

/**
 * A browser with a profile on disk in `userDataDir`, as a returning user
 * has: Chromium keeps the HTTP cache and V8's cache of compiled scripts
 * there, which it writes on a script's second load and uses from the third.
 */
export async function launchWithProfile(
  userDataDir: string,
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
  });
}

export async function prepareContext(
  context: BrowserContext,
  pages: PageUnderTest[],
) {
  const rows = Object.fromEntries(pages.map(p => [p.key, p.rows]));
  await context.addInitScript(instrument, {
    identityRows: rows.identity,
    catalogRows: rows.catalog,
  });
}

async function waitForRows(
  page: Page,
  target: PageUnderTest,
  timeoutMs: number,
): Promise<NavigationSample> {
  await page.waitForFunction(() => window.__identityBench?.rowsPaintAt, null, {
    timeout: timeoutMs,
    polling: 50,
  });
  return page.evaluate(dataRequest => {
    const span = (part: string) => {
      const entry = (
        performance.getEntriesByType('resource') as PerformanceResourceTiming[]
      ).find(e => e.name.includes(part));
      return entry
        ? { start: entry.startTime, end: entry.responseEnd }
        : undefined;
    };
    const nav = performance.getEntriesByType(
      'navigation',
    )[0] as PerformanceNavigationTiming;
    return {
      shownMs: window.__identityBench.rowsPaintAt!,
      domMs: window.__identityBench.rowsShownAt!,
      domContentLoadedMs: nav?.domContentLoadedEventEnd ?? NaN,
      signIn: span('/api/auth/demo/refresh'),
      permission: span('/api/permission/authorize'),
      data: span(dataRequest),
    };
  }, target.dataRequest);
}

async function waitForQuiet(page: Page, quietMs: number, timeoutMs: number) {
  await page.waitForFunction(
    quiet =>
      performance.now() - window.__identityBench.lastRegionMutation >= quiet,
    quietMs,
    { timeout: timeoutMs, polling: 100 },
  );
}

/** One navigation in a fresh tab of the signed-in context. */
export async function measureNavigation(
  context: BrowserContext,
  baseUrl: string,
  target: PageUnderTest,
): Promise<NavigationSample> {
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}${target.path}`, { waitUntil: 'commit' });
    return await waitForRows(page, target, 120_000);
  } finally {
    await page.close();
  }
}

/**
 * Waits until the term is in the URL, the table changed after the last
 * keystroke and has been quiet for `quietMs`, and no progress bar shows.
 */
async function waitForSearch(
  page: Page,
  target: PageUnderTest,
  term: string,
  quietMs: number,
) {
  await page.waitForFunction(
    ({ param, value, quiet }) => {
      const probe = window.__identityBench;
      const sent =
        new URL(window.location.href).searchParams.get(param) === value;
      const region = probe.findRegion();
      return (
        sent &&
        probe.lastInput > 0 &&
        probe.lastRegionMutation > probe.lastInput &&
        performance.now() - probe.lastRegionMutation >= quiet &&
        !!region &&
        !region.querySelector('[role="progressbar"]')
      );
    },
    {
      param: target.searchParam,
      value: term,
      quiet: quietMs,
    },
    { timeout: 60_000, polling: 100 },
  );
}

/** What the page shows when a search did not settle, for the error. */
async function describeSearch(page: Page, target: PageUnderTest) {
  return page
    .evaluate(search => {
      const probe = window.__identityBench;
      const box = document.querySelector<HTMLInputElement>(search);
      const region = probe.findRegion();
      const now = performance.now();
      return [
        `URL ${window.location.pathname}${window.location.search}`,
        `box "${box?.value ?? '(none)'}"`,
        `table last changed ${Math.round(
          now - probe.lastRegionMutation,
        )} ms ago, ${Math.round(now - probe.lastInput)} ms since the last key`,
        `progress bar ${
          region?.querySelector('[role="progressbar"]') ? 'shown' : 'not shown'
        }`,
        `${probe.dataRows().length} data rows`,
        `URL writes while typing ${
          probe.urlWrites.filter(t => t >= probe.firstInput).length
        }`,
      ].join('; ');
    }, target.search)
    .catch(error => `page state unreadable: ${error}`);
}

/**
 * Opens the page, waits until it is quiet, types the term at 100 ms a key,
 * and waits until the search is in the URL, no progress bar shows, and the
 * table has not changed for `quietMs`.
 */
export async function measureSearch(
  context: BrowserContext,
  baseUrl: string,
  target: PageUnderTest,
  term: string,
  quietMs = 1500,
): Promise<SearchSample> {
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}${target.path}`, { waitUntil: 'commit' });
    await waitForRows(page, target, 120_000);
    await waitForQuiet(page, 1000, 60_000);
    const box = page.locator(target.search).first();
    await box.click();
    await page.evaluate(() => {
      window.__identityBench.lastInput = 0;
      window.__identityBench.firstInput = 0;
    });
    await box.pressSequentially(term, { delay: 100 });
    await waitForSearch(page, target, term, quietMs).catch(async error => {
      throw new Error(
        `${
          target.key
        } page: the search "${term}" did not settle within 60 s (${await describeSearch(
          page,
          target,
        )}): ${error}`,
      );
    });
    return await page.evaluate(
      ({ value, dataRequest, dataSearchParam }) => {
        const probe = window.__identityBench;
        const rows = probe.dataRows();
        const resources = (
          performance.getEntriesByType(
            'resource',
          ) as PerformanceResourceTiming[]
        ).filter(e => e.name.includes(dataRequest));
        const request = resources
          .filter(e => {
            const params = new URL(e.name).searchParams;
            return params.get(dataSearchParam) === value;
          })
          .pop();
        return {
          term: value,
          settleMs: probe.lastRegionMutation - probe.lastInput,
          requests: resources.filter(e => e.startTime >= probe.firstInput)
            .length,
          request: request
            ? {
                start: request.startTime - probe.lastInput,
                end: request.responseEnd - probe.lastInput,
              }
            : undefined,
          rows: rows.length,
          longTasksMs: probe.longTasks.reduce(
            (sum, t) =>
              sum +
              Math.max(
                0,
                Math.min(t.end, probe.lastRegionMutation) -
                  Math.max(t.start, probe.lastInput),
              ),
            0,
          ),
          urlWrites: probe.urlWrites
            .filter(t => t >= probe.firstInput)
            .map(t => t - probe.lastInput),
          mismatched: rows.filter(
            tr =>
              !(tr.textContent ?? '')
                .toLocaleLowerCase('en-US')
                .includes(value),
          ).length,
        };
      },
      {
        value: term,
        dataRequest: target.dataRequest,
        dataSearchParam: target.dataSearchParam,
      },
    );
  } finally {
    await page.close();
  }
}
