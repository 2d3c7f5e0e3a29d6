import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { serveSite, type StaticSite } from './static-server';

/**
 * Every page works under the Content-Security-Policy the site ships in public/_headers
 * (script-src 'self' 'wasm-unsafe-eval'; font-src 'self'; no inline script): the built site is
 * served with exactly those headers and any violation fails the test.
 */
const PAGES = ['/', '/ghostnet-v1/', '/ghostnet-v2/', '/lab/', '/zh/', '/zh/ghostnet-v1/', '/zh/ghostnet-v2/', '/zh/lab/'];

// The service worker (offline reading) must register under the policy too.
test.use({ serviceWorkers: 'allow' });

let site: StaticSite;
test.beforeAll(async () => {
  site = await serveSite(join(process.cwd(), process.env.ASTRO_OUT_DIR ?? 'dist'), join(process.cwd(), 'public', '_headers'));
});
test.afterAll(async () => site?.close());

declare global {
  interface Window {
    __csp: string[];
  }
}

/** Records every violation: the DOM event (with the blocked URI) and Chromium's console report. */
async function watchCsp(page: Page): Promise<string[]> {
  const reports: string[] = [];
  page.on('console', (msg) => {
    if (/Content.Security.Policy/i.test(msg.text())) reports.push(`console: ${msg.text()}`);
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
  });
  return reports;
}

const violations = async (page: Page, reports: string[]) => [...reports, ...(await page.evaluate(() => window.__csp))];

/** Scrolls through the page so every lazily mounted figure (the chapters' live labs) starts. */
async function readThrough(page: Page): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += 700) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(50);
  }
  await page.waitForLoadState('networkidle');
}

test('the policy is really enforced: an injected inline script is refused', async ({ page }) => {
  const reports = await watchCsp(page);
  await page.goto(`${site.url}/`);
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations(page, reports)).not.toEqual([]);
});

for (const path of PAGES) {
  test(`${path} loads with no policy violation, its math fonts from files`, async ({ page, problems }) => {
    test.setTimeout(300_000);
    const reports = await watchCsp(page);
    await page.goto(`${site.url}${path}?backend=wasm`);
    await page.waitForLoadState('networkidle');
    await readThrough(page);
    // The live figures (TensorFlow.js on WebGL in the chapters, wasm in the lab) have run.
    const labs = page.locator('[data-lab]');
    for (let i = 0; i < (await labs.count()); i++) {
      await labs.nth(i).scrollIntoViewIfNeeded();
      await expect(labs.nth(i).locator('[data-role="probs"] li').first()).toBeAttached({ timeout: 150_000 });
    }
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL)).toBe(`${site.url}/sw.js`);
    expect(await violations(page, reports)).toEqual([]);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.requests.filter((u) => u.startsWith('data:font') || u.startsWith('data:application/font'))).toEqual([]);
    if (path.includes('ghostnet-v')) {
      // The typeset formulas use KaTeX's own fonts, fetched as woff2 files from the site.
      const fonts = await page.evaluate(async () => {
        await document.fonts.ready;
        return [...document.fonts].filter((f) => f.family.startsWith('KaTeX') && f.status === 'loaded').length;
      });
      expect(fonts).toBeGreaterThan(0);
      expect(problems.requests.some((u) => u.startsWith(site.url) && /KaTeX_.*\.woff2$/.test(u))).toBe(true);
    }
  });
}

test('the theme toggle works and a saved dark theme applies before the page is shown', async ({ page }) => {
  const reports = await watchCsp(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${site.url}/ghostnet-v1/`);
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.locator('#theme-toggle').click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('#theme-toggle')).toHaveAttribute('aria-pressed', 'true');
  expect(await page.evaluate(() => localStorage.getItem('ghostlab-theme'))).toBe('dark');

  // The saved choice wins over the system's light scheme, already at the first script after <head>.
  await page.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => ((window as unknown as { __themeAtReady: string }).__themeAtReady = document.documentElement.dataset.theme ?? ''));
  });
  await page.goto(`${site.url}/zh/`);
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => (window as unknown as { __themeAtReady: string }).__themeAtReady)).toBe('dark');
  await page.locator('#theme-toggle').click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(await violations(page, reports)).toEqual([]);
});

test('the lab predicts on WebAssembly under the policy', async ({ page, problems }) => {
  const reports = await watchCsp(page);
  await page.goto(`${site.url}/lab/?backend=wasm&sample=4`);
  await page.waitForFunction(() => window.ghostlab?.ready === true, null, { timeout: 60_000 });
  const s = await page.evaluate(() => ({ ...window.ghostlab }));
  expect(s.backend).toBe('wasm');
  expect(s.lastPrediction?.label).toBeTruthy();
  expect(s.lastPrediction!.p).toBeGreaterThan(0);
  expect(await violations(page, reports)).toEqual([]);
  expect(problems.pageErrors).toEqual([]);
});
