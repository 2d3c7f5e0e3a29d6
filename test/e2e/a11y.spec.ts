import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

/**
 * WCAG 2.1 A and AA, as axe-core checks them, on every page in both languages and both themes,
 * with the live figures running (WebAssembly) and in the states a reader opens by interaction.
 */
const PAGES = ['/', '/ghostnet-v1/', '/ghostnet-v2/', '/lab/', '/zh/', '/zh/ghostnet-v1/', '/zh/ghostnet-v2/', '/zh/lab/'];
const THEMES = ['light', 'dark'] as const;

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.nodes.length}): ${v.help}\n${v.nodes.slice(0, 4).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1, 2).join('')}`).join('\n')}`,
  );
}

/** Opens a page in a theme, scrolls through it so every live figure mounts, and waits for the models. */
async function openIn(page: Page, path: string, theme: (typeof THEMES)[number]): Promise<void> {
  await page.addInitScript((t) => localStorage.setItem('ghostlab-theme', t), theme);
  // The chapters' embedded figures choose their backend themselves; without WebGL they take wasm,
  // as ?backend=wasm makes the lab do (SwiftShader's WebGL is far too slow on a shared CPU).
  await page.addInitScript(() => {
    for (const proto of [HTMLCanvasElement.prototype, OffscreenCanvas.prototype] as { getContext: (id: string, ...a: unknown[]) => unknown }[]) {
      const get = proto.getContext;
      proto.getContext = function (this: unknown, id: string, ...rest: unknown[]) {
        return id.startsWith('webgl') ? null : get.call(this, id, ...rest);
      };
    }
  });
  await page.goto(`${path}?backend=wasm`, { waitUntil: 'load' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(40);
  }
  await page.waitForLoadState('networkidle');
  // Every lab has drawn its first prediction; each is brought into view, since a lab that a quick
  // scroll passed between two frames never saw the viewport and is still waiting to mount.
  const labs = page.locator('[data-lab]');
  for (let i = 0; i < (await labs.count()); i++) {
    await labs.nth(i).scrollIntoViewIfNeeded();
    await expect(labs.nth(i).locator('[data-role="probs"] li').first()).toBeAttached({ timeout: 150_000 });
  }
  if (await labs.count()) await page.waitForFunction(() => window.ghostlab?.ready === true, null, { timeout: 90_000 });
  // Bars and transitions finish before colours are measured.
  await page.waitForTimeout(500);
}

for (const path of PAGES) {
  for (const theme of THEMES) {
    test(`${path} in the ${theme} theme has no WCAG 2.1 AA violation`, async ({ page, problems }) => {
      test.setTimeout(300_000);
      await openIn(page, path, theme);
      expect(await violations(page)).toEqual([]);
      expect(problems.pageErrors).toEqual([]);
    });
  }
}

for (const path of ['/lab/', '/zh/lab/']) {
  for (const theme of THEMES) {
    test(`${path} in the ${theme} theme: a layer opened and a map selected stay accessible`, async ({ page }) => {
      test.setTimeout(300_000);
      await openIn(page, `${path}`, theme);
      // A Ghost module of the strip, then one of its ghost maps.
      await page.locator('[data-role="strip"] .gv-col').nth(4).click();
      await page.locator('.lab-group-ghost .gv-cell').nth(2).click();
      await expect(page.locator('.lab-group-ghost .gv-cell').nth(2)).toHaveAttribute('aria-selected', 'true');
      await page.waitForLoadState('networkidle');
      expect(await violations(page)).toEqual([]);
    });
  }
}

test('the V1 chapter with its calculators moved stays accessible', async ({ page }) => {
  test.setTimeout(300_000);
  await openIn(page, '/ghostnet-v1/', 'dark');
  const ranges = page.locator('main input[type="range"]');
  const n = await ranges.count();
  expect(n).toBeGreaterThan(2);
  for (let i = 0; i < n; i++) {
    await ranges.nth(i).focus();
    await page.keyboard.press('End');
  }
  expect(await violations(page)).toEqual([]);
});

test('canvas maps carry their name and value range; probabilities are read as numbers', async ({ page }) => {
  await openIn(page, '/lab/', 'light');
  const cells = page.locator('.lab-inspector .gv-cell');
  expect(await cells.count()).toBeGreaterThan(4);
  for (const group of ['intrinsic', 'ghost']) {
    const label = await page.locator(`.lab-inspector .gv-cell[data-group="${group}"]`).first().getAttribute('aria-label');
    // The group in words (colour is not the only cue) and the range of the values shown as colours.
    expect(label).toMatch(new RegExp(`\\(${group}[^)]*\\): -?[\\d.e-]+ … -?[\\d.e-]+$`, 'i'));
  }
  const overlay = page.locator('.lab-inspector canvas[role="img"]').first();
  await expect(overlay).toHaveAttribute('aria-label', /\(\d+×\d+\): -?[\d.e-]+ … -?[\d.e-]+$/);
  // Each probability bar's number is text a screen reader reaches (the bar itself is decoration).
  const rows = page.locator('[data-role="probs"] li');
  expect(await rows.count()).toBe(10);
  const snapshot = await page.locator('[data-role="probs"]').ariaSnapshot();
  expect(snapshot).toMatch(/\d+(\.\d)?%/);
});
