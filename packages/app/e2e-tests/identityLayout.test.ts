import { expect, Locator, Page, test } from '@playwright/test';
import { SCREENSHOT_DIR, signInAs } from './signIn';

/**
 * The Identity page at a common laptop width, in the light and the dark
 * theme: no header breaks inside a word or onto a second line, no chip is
 * cut without an ellipsis and a tooltip holding its full text, and the
 * tables' text stands out from their background in either theme.
 */

test.use({ viewport: { width: 1280, height: 800 } });

/** What the page looks like, measured in the browser. */
type PageReport = {
  tables: Array<{
    table: string;
    /** Column headers (`thead th`) whose text takes more than one line. */
    wrappedHeaders: string[];
    /** Header cells (column or row) with a word split across two lines. */
    brokenWords: string[];
    /** Cells whose content is cut off at their edge with no ellipsis. */
    clippedCells: string[];
    /** Column headers whose text has too little contrast with the background. */
    lowContrast: string[];
    /** Whether the table is wider than the box it sits in. */
    wider: boolean;
    /** Relative luminance of the table's background (0 black, 1 white). */
    background: number;
  }>;
  /** Chips on two lines, cut without an ellipsis, or out of their cell. */
  badChips: string[];
  /** Group tree labels with a word split across two lines. */
  treeBrokenWords: string[];
  /** Texts in tables and chips that are cut with an ellipsis. */
  cut: string[];
};

/**
 * Measures the page's tables, chips and group tree. Runs in the browser, so
 * it uses nothing from this file's scope.
 */
function measurePage(): PageReport {
  const rgba = (css: string) => {
    const m = css.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const [r, g, b, a = '1'] = m[1].split(',').map(v => v.trim());
    return [Number(r), Number(g), Number(b), Number(a)];
  };
  const luminance = ([r, g, b]: number[]) => {
    const c = [r, g, b].map(v => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  /** The first opaque background at or above an element. */
  const backgroundOf = (el: Element | null): number[] => {
    for (let e = el; e; e = e.parentElement) {
      const bg = rgba(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0.5) return bg;
    }
    return [255, 255, 255, 1];
  };
  const contrast = (a: number[], b: number[]) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const textNodes = (el: Element) => {
    const nodes: Text[] = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.textContent?.trim()) nodes.push(n as Text);
    }
    return nodes;
  };
  const rectsOf = (node: Text, from = 0, to = node.length) => {
    const range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    return Array.from(range.getClientRects()).filter(r => r.width > 0);
  };
  /**
   * How many lines the boxes take, top to bottom: a new line wherever a
   * box's middle is below the bottom of the line before (boxes of
   * consecutive lines may overlap a little).
   */
  const lines = (rects: DOMRect[]) => {
    let count = 0;
    let bottom = -Infinity;
    for (const r of [...rects].sort((a, b) => a.top - b.top)) {
      if ((r.top + r.bottom) / 2 > bottom) {
        count += 1;
        bottom = r.bottom;
      } else {
        bottom = Math.max(bottom, r.bottom);
      }
    }
    return count;
  };
  const lineCount = (el: Element) =>
    lines(textNodes(el).flatMap(n => rectsOf(n)));
  /** Does any word of the element's text start on one line and end on another? */
  const splitsAWord = (el: Element) =>
    textNodes(el).some(node => {
      const words = /\S+/g;
      for (let m = words.exec(node.data); m; m = words.exec(node.data)) {
        if (lines(rectsOf(node, m.index, m.index + m[0].length)) > 1) {
          return true;
        }
      }
      return false;
    });
  const text = (el: Element) => (el.textContent ?? '').trim();
  const isCut = (el: Element) => el.scrollWidth > el.clientWidth + 1;
  const hasEllipsis = (el: Element) =>
    getComputedStyle(el).textOverflow === 'ellipsis';

  const tables = Array.from(document.querySelectorAll('table')).map(table => {
    const headers = Array.from(table.querySelectorAll('thead th'));
    const cells = Array.from(table.querySelectorAll('th, td'));
    const box = table.parentElement!;
    return {
      table: table.getAttribute('aria-label') ?? '(unnamed table)',
      wrappedHeaders: headers
        .filter(th => text(th) && lineCount(th) > 1)
        .map(text),
      brokenWords: Array.from(table.querySelectorAll('th'))
        .filter(splitsAWord)
        .map(text),
      clippedCells: cells.filter(isCut).map(text),
      lowContrast: headers
        .filter(th => text(th))
        .filter(
          th =>
            contrast(rgba(getComputedStyle(th).color), backgroundOf(th)) < 3,
        )
        .map(text),
      wider: table.getBoundingClientRect().width > box.clientWidth + 1,
      background: luminance(backgroundOf(table)),
    };
  });

  const badChips: string[] = [];
  for (const chip of Array.from(document.querySelectorAll('.MuiChip-root'))) {
    const label = chip.querySelector('.MuiChip-label') ?? chip;
    const full = text(chip);
    const parts = [label, ...Array.from(label.querySelectorAll('*'))];
    if (parts.some(e => isCut(e) && !hasEllipsis(e))) {
      badChips.push(`${full}: cut without an ellipsis`);
    }
    if (lineCount(label) > 1) badChips.push(`${full}: on two lines`);
    const cell = chip.closest('td, th');
    if (cell) {
      const c = cell.getBoundingClientRect();
      const r = chip.getBoundingClientRect();
      if (r.right > c.right + 1 || r.left < c.left - 1) {
        badChips.push(`${full}: out of its cell`);
      }
    }
  }

  const cut = Array.from(document.querySelectorAll('table *, .MuiChip-root *'))
    .filter(e => isCut(e) && hasEllipsis(e))
    .map(text);

  return {
    tables,
    badChips,
    treeBrokenWords: Array.from(
      document.querySelectorAll('[role=tree] [role=treeitem] > div'),
    )
      .filter(splitsAWord)
      .map(text),
    cut: Array.from(new Set(cut)),
  };
}

/**
 * Checks every table, chip and tree on the page; `expected` names the
 * tables that must be there. Text cut with an ellipsis must show in full in
 * a tooltip on hover.
 */
async function checkPage(
  page: Page,
  theme: 'light' | 'dark',
  expected: string[],
) {
  for (const name of expected) {
    await expect(page.getByRole('table', { name }).first()).toBeVisible();
  }
  const report = await page.evaluate(measurePage);
  expect(report.tables.map(t => t.table)).toEqual(
    expect.arrayContaining(expected),
  );
  for (const table of report.tables) {
    const { background, ...layout } = table;
    expect(layout, `the ${table.table} table in the ${theme} theme`).toEqual({
      table: table.table,
      wrappedHeaders: [],
      brokenWords: [],
      clippedCells: [],
      lowContrast: [],
      wider: false,
    });
    // The theme reached the table: a dark background in the dark theme.
    if (theme === 'dark') expect(background).toBeLessThan(0.2);
    else expect(background).toBeGreaterThan(0.6);
  }
  expect(report.badChips, `chips in the ${theme} theme`).toEqual([]);
  expect(
    report.treeBrokenWords,
    `the group tree in the ${theme} theme`,
  ).toEqual([]);
  for (const full of report.cut) {
    await hoverForTooltip(page, page.getByText(full, { exact: true }).first());
  }
}

async function hoverForTooltip(page: Page, cutText: Locator) {
  const full = ((await cutText.textContent()) ?? '').trim();
  await cutText.hover();
  await expect(page.getByRole('tooltip')).toHaveText(full);
  await page.mouse.move(0, 0);
  await expect(page.getByRole('tooltip')).toHaveCount(0);
}

/**
 * Backstage's AppThemeSelector keeps the chosen theme's id in localStorage
 * under "theme", as the switch on the Settings page does.
 */
async function useTheme(page: Page, theme: 'light' | 'dark') {
  await page.addInitScript(id => {
    window.localStorage.setItem('theme', id);
  }, theme);
}

for (const theme of ['light', 'dark'] as const) {
  test(`the users list and a user's detail fit at 1280 px in the ${theme} theme`, async ({
    page,
  }) => {
    await useTheme(page, theme);
    await signInAs(page, 'Ada (platform admin)');

    await page.goto('/identity/users');
    const users = page.getByRole('table', { name: 'Users' });
    await expect(users.getByRole('link', { name: 'ada.admin' })).toBeVisible();
    await page.screenshot({
      path: `${SCREENSHOT_DIR}/identity-users-1280-${theme}.png`,
    });
    await checkPage(page, theme, ['Users']);

    await page.goto('/identity/users/default/nina.nested');
    await expect(
      page
        .getByRole('table', { name: 'Memberships' })
        .getByLabel(
          'Path: nina.nested → platform-admins-emea → platform-admins',
          {
            exact: true,
          },
        ),
    ).toBeVisible();
    await page.screenshot({
      path: `${SCREENSHOT_DIR}/identity-user-detail-1280-${theme}.png`,
      fullPage: true,
    });
    await checkPage(page, theme, ['Memberships', 'Locations']);
  });

  test(`the group tree and a group's members fit at 1280 px in the ${theme} theme`, async ({
    page,
  }) => {
    await useTheme(page, theme);
    await signInAs(page, 'Ada (platform admin)');

    await page.goto('/identity/groups');
    const tree = page.getByRole('tree', { name: 'Group hierarchy' });
    await expect(
      tree.getByRole('link', { name: 'Platform Admins EMEA', exact: true }),
    ).toBeVisible();
    await page.screenshot({
      path: `${SCREENSHOT_DIR}/identity-groups-1280-${theme}.png`,
    });
    await checkPage(page, theme, []);

    await page.goto('/identity/groups/default/platform-admins');
    await expect(
      page.getByRole('table', { name: 'Members' }).getByRole('row').nth(1),
    ).toBeVisible();
    await page.screenshot({
      path: `${SCREENSHOT_DIR}/identity-group-detail-1280-${theme}.png`,
      fullPage: true,
    });
    await checkPage(page, theme, ['Members']);
  });

  test(`the access tabs fit at 1280 px in the ${theme} theme`, async ({
    page,
  }) => {
    await useTheme(page, theme);
    await signInAs(page, 'Ada (platform admin)');

    await page.goto('/identity/my-access');
    await expect(
      page.getByRole('table', { name: 'My access' }).getByRole('row').nth(1),
    ).toBeVisible();
    await page.screenshot({
      path: `${SCREENSHOT_DIR}/identity-my-access-1280-${theme}.png`,
      fullPage: true,
    });
    await checkPage(page, theme, ['My access']);

    await page.goto('/identity/who-can?permission=catalog.entity.delete');
    await expect(
      page
        .getByRole('table', { name: 'Who can' })
        .getByRole('link', { name: 'nina.nested', exact: true })
        .first(),
    ).toBeVisible();
    await page.screenshot({
      path: `${SCREENSHOT_DIR}/identity-who-can-1280-${theme}.png`,
    });
    await checkPage(page, theme, ['Who can']);
  });
}
