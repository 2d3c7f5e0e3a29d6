import type { Page } from '@playwright/test';
import { test, expect, expectClean, open } from './fixtures';

// A reader on a phone (390 × 844): headings that links jump to land below the sticky header, the
// table of contents follows the title and is collapsed, a calculator's chart stays in view while a
// slider moves, and hover hints say "tap". On every screen, the contents show where the reader is.

const PHONE = { width: 390, height: 844 };
const CHAPTERS = ['ghostnet-v1', 'ghostnet-v2'];
const LANGS = [
  { lang: 'en', prefix: '' },
  { lang: 'zh', prefix: '/zh' },
];

/** The heading's top against the header's bottom, and the viewport height. */
async function placement(page: Page, id: string) {
  return page.evaluate((target) => {
    const h = document.getElementById(target)!.getBoundingClientRect();
    const header = document.querySelector('.site-header')!.getBoundingClientRect();
    return { top: h.top, bottom: h.bottom, headerBottom: header.bottom, viewport: window.innerHeight };
  }, id);
}

async function expectBelowHeader(page: Page, id: string): Promise<void> {
  // Smooth scrolling is off, but give the jump a frame to settle.
  await expect
    .poll(async () => {
      const p = await placement(page, id);
      return p.top >= p.headerBottom - 1 && p.bottom <= p.viewport;
    }, { message: `#${id} lands below the header and on screen` })
    .toBe(true);
}

test.describe('phone 390 × 844', () => {
  test.use({ viewport: PHONE });

  test('the header is short: at most a sixth of the screen', async ({ page, problems }) => {
    for (const { prefix } of LANGS) {
      await open(page, `${prefix}/ghostnet-v2/`);
      const header = (await page.locator('.site-header').boundingBox())!;
      expect(header.height).toBeLessThanOrEqual(PHONE.height / 6);
      // The chapter links stay one row that scrolls sideways, with the current chapter in view.
      const current = (await page.locator('.site-nav a[aria-current="page"]').boundingBox())!;
      expect(current.x).toBeGreaterThanOrEqual(0);
      expect(current.x + current.width).toBeLessThanOrEqual(PHONE.width);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    }
    expectClean(problems);
  });

  for (const { lang, prefix } of LANGS) {
    test(`${lang}: the contents come after the title, collapsed; opened by keyboard, every link lands below the header`, async ({ page, problems }) => {
      await open(page, `${prefix}/ghostnet-v2/`);
      const toc = page.locator('nav.toc');
      const details = toc.locator('details');
      await expect(details).not.toHaveAttribute('open', /.*/);
      const title = (await page.locator('article.chapter > h1').boundingBox())!;
      const tocBox = (await toc.boundingBox())!;
      expect(tocBox.y).toBeGreaterThanOrEqual(title.y + title.height);
      // Collapsed: the first section starts within the first screen.
      const first = await page.locator('main h2[id]').first().boundingBox();
      expect(first!.y).toBeLessThan(PHONE.height);

      // Keyboard: focus the summary, open it, follow a link.
      await toc.locator('summary').focus();
      await page.keyboard.press('Enter');
      await expect(details).toHaveAttribute('open', '');
      const ids = await toc.locator('a').evaluateAll((as) => as.map((a) => decodeURIComponent((a as HTMLAnchorElement).hash.slice(1))));
      expect(ids.length).toBeGreaterThan(5);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(new RegExp(`#${ids[1]}$`));
      await expectBelowHeader(page, ids[1]);

      // Every other entry, by click.
      for (const id of ids) {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.locator(`nav.toc a[href="#${id}"]`).click();
        await expectBelowHeader(page, id);
      }
      expectClean(problems);
    });

    test(`${lang}: a shared link to a section, and "see it in the lab", land below the header`, async ({ page, problems }) => {
      for (const [path, id] of [
        ['ghostnet-v2', 'dfc-calculator'],
        ['ghostnet-v2', 'downsampling'],
        ['ghostnet-v1', 'lab'],
      ]) {
        await open(page, `${prefix}/${path}/#${id}`);
        await expectBelowHeader(page, id);
      }
      // The V2 chapter's link back to the V1 chapter's bottleneck section.
      await open(page, `${prefix}/ghostnet-v2/`);
      await page.locator('a[href$="ghostnet-v1/#ghost-bottleneck"]').first().click();
      await page.waitForURL((url) => url.pathname.endsWith('/ghostnet-v1/') && url.hash === '#ghost-bottleneck');
      await page.waitForLoadState('networkidle');
      await expectBelowHeader(page, 'ghost-bottleneck');
      expectClean(problems);
    });
  }

  test('the language switch lands on the same section, below the header', async ({ page, problems }) => {
    await open(page, '/ghostnet-v2/');
    await page.evaluate(() => document.getElementById('dfc-convolution')!.scrollIntoView());
    await expectBelowHeader(page, 'dfc-convolution');
    // By keyboard: focusing the switch in the header does not scroll the page away.
    const y = await page.evaluate(() => window.scrollY);
    await page.locator('#lang-switch').focus();
    expect(await page.evaluate(() => window.scrollY)).toBe(y);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/zh/ghostnet-v2/' && url.hash === '#dfc-convolution');
    await page.waitForLoadState('networkidle');
    await expectBelowHeader(page, 'dfc-convolution');
    expectClean(problems);
  });

  test('the speed-up plot stays on screen while a slider moves, and does not cover it', async ({ page, problems }) => {
    await open(page, '/ghostnet-v1/');
    const root = page.locator('[data-ghost-speedup]');
    await expect(root).toHaveAttribute('data-ready', 'true');
    for (const key of ['s', 'c', 'n', 'w']) {
      const slider = root.getByTestId(`slider-${key}`);
      await slider.focus();
      const before = Number(await root.getByTestId(`input-${key}`).inputValue());
      await page.keyboard.press('ArrowRight');
      await expect(root.getByTestId(`input-${key}`)).toHaveValue(String(before + 1));
      // The page scrolls the slider clear of the plot in the frame after the change: read the
      // geometry in one go and allow a few frames for it.
      await expect(async () => {
        const g = await page.evaluate((k) => {
          const box = (el: Element | null) => {
            const r = el!.getBoundingClientRect();
            return { y: r.y, height: r.height };
          };
          const fig = document.querySelector('[data-ghost-speedup]')!;
          return {
            plot: box(fig.querySelector('[data-testid="rs-plot"] svg')),
            header: box(document.querySelector('.site-header')),
            thumb: box(fig.querySelector(`[data-testid="slider-${k}"]`)),
          };
        }, key);
        const headerBottom = g.header.y + g.header.height - 1;
        expect(g.plot.y, `plot below the header (slider ${key})`).toBeGreaterThanOrEqual(headerBottom);
        expect(g.plot.y + g.plot.height, `plot above the bottom (slider ${key})`).toBeLessThanOrEqual(PHONE.height + 1);
        expect(g.plot.height).toBeGreaterThan(100);
        // The slider in use stays visible, above the plot and below the header.
        expect(g.thumb.y + g.thumb.height, `slider ${key} above the plot`).toBeLessThanOrEqual(g.plot.y);
        expect(g.thumb.y, `slider ${key} below the header`).toBeGreaterThanOrEqual(headerBottom);
      }).toPass({ timeout: 3000 });
    }
    // Away from the sliders the plot goes back to its place in the figure.
    await page.locator('article h1').click();
    await expect.poll(() => root.getByTestId('rs-plot').evaluate((el) => getComputedStyle(el).position)).toBe('static');
    expectClean(problems);
  });
});

test.describe('touch screens', () => {
  test.use({ viewport: PHONE, hasTouch: true, isMobile: true });

  for (const { lang, prefix, tap, hover } of [
    { lang: 'en', prefix: '', tap: 'Tap a term', hover: 'Hover' },
    { lang: 'zh', prefix: '/zh', tap: '点按上面公式', hover: '悬停' },
  ]) {
    test(`${lang}: the formula hint says "tap", not "hover"`, async ({ page, problems }) => {
      await open(page, `${prefix}/ghostnet-v1/`);
      // innerText: what is rendered (the other wording is display: none).
      const hint = await page.locator('.hint-touch').first().locator('xpath=..').evaluate((el) => (el as HTMLElement).innerText);
      expect(hint).toContain(tap);
      expect(hint).not.toContain(hover);
      expectClean(problems);
    });
  }
});

test.describe('mouse screens', () => {
  test('the formula hint says "hover"', async ({ page, problems }) => {
    await open(page, '/ghostnet-v1/');
    const hint = await page.locator('.hint-pointer').first().locator('xpath=..').evaluate((el) => (el as HTMLElement).innerText);
    expect(hint).toContain('Hover over a term');
    expect(hint).not.toContain('Tap');
    expectClean(problems);
  });
});

// The table of contents shows where the reader is, on a wide screen and on a phone.
for (const viewport of [{ width: 1280, height: 900 }, PHONE]) {
  for (const { lang, prefix } of LANGS) {
    test(`${lang} ${viewport.width}px: the contents mark the section being read (aria-current)`, async ({ page, problems }) => {
      // Scrolled to the end, a chapter starts its embedded lab; on a loaded CI machine that start has
      // held the page's main thread for over 30 s, and every poll waits for it: hence the long limits.
      test.setTimeout(300_000);
      await page.setViewportSize(viewport);
      for (const chapter of CHAPTERS) {
        await open(page, `${prefix}/${chapter}/`);
        const toc = page.locator('nav.toc');
        if (viewport.width < 800) {
          await toc.locator('summary').click();
          await expect(toc.locator('details')).toHaveAttribute('open', '');
        } else {
          await expect(toc.locator('details')).toHaveAttribute('open', '');
          await expect(toc).toBeInViewport();
        }
        const current = toc.locator('a[aria-current="location"]');
        const ids = await page.locator('main h2[id], main h3[id]').evaluateAll((els) => els.map((e) => e.id));
        for (const id of [ids[1], ids[2], ids[Math.floor(ids.length / 2)]]) {
          await page.evaluate((target) => document.getElementById(target)!.scrollIntoView(), id);
          await expect(current).toHaveCount(1);
          await expect(current).toHaveAttribute('href', `#${id}`);
        }
        // The very bottom marks the last section, the very top clears the mark. (Scrolled again
        // while polling: the embedded labs may still grow the page. The page is scrolled directly,
        // not by Home/End keys, which a focused live figure may take for itself.)
        const after = (edge: string) => async () => {
          await page.evaluate((e) => window.scrollTo(0, e === 'End' ? document.documentElement.scrollHeight : 0), edge);
          await page.waitForTimeout(100);
          return (await current.count()) ? await current.getAttribute('href') : null;
        };
        await expect.poll(after('End'), { timeout: 120_000 }).toBe(`#${ids[ids.length - 1]}`);
        // With where the page is, so a failure says whether it stayed at the top.
        await expect.poll(async () => ({ mark: await after('Home')(), y: await page.evaluate(() => window.scrollY) }), { timeout: 120_000 }).toEqual({ mark: null, y: 0 });
        // On a wide screen the contents column stays beside the text all the way down.
        if (viewport.width >= 800) {
          await expect.poll(after('End'), { timeout: 120_000 }).toBe(`#${ids[ids.length - 1]}`);
          await expect(toc).toBeInViewport();
        }
      }
      expectClean(problems);
    });
  }
}
