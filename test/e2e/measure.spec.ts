import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, type PageProblems } from './fixtures';
import { serveSite, type StaticSite } from './static-server';

/**
 * "Measure on this device" in the V1 chapter, served with the site's real headers (public/_headers:
 * the CSP and the cross-origin isolation), so the workers, the threaded wasm backend and the CSP are
 * checked together. ?runs=3 keeps the runs short; the page's default stays at 20.
 */
let site: StaticSite;
test.beforeAll(async () => {
  site = await serveSite(join(process.cwd(), process.env.ASTRO_OUT_DIR ?? 'dist'), join(process.cwd(), 'public', '_headers'));
});
test.afterAll(async () => site?.close());

/** The fixture's checks, with this file's own server as the origin. */
function expectCleanHere(problems: PageProblems): void {
  expect(problems.pageErrors, 'uncaught exceptions').toEqual([]);
  expect(problems.consoleErrors, 'console errors').toEqual([]);
  expect(problems.requests.filter((u) => !u.startsWith(site.url) && !/^(data|blob):/.test(u)), 'requests leaving the origin').toEqual([]);
}

interface Measurement {
  what: string;
  backend: string;
  medianMs: number;
  runs: number;
}
const measurements = (page: Page) => page.evaluate(() => (window as unknown as { ghostlab: { measurements: Measurement[] } }).ghostlab.measurements);

/** The test's own r_s (independent of src/model): ordinary MACs ÷ Ghost MACs; h′w′ cancels. */
function ghostRatio(s: number, d: number, c: number, k: number, n: number): number {
  const m = Math.ceil(n / s);
  return (n * c * k * k) / (m * c * k * k + m * (s - 1) * d * d);
}

async function openPanel(page: Page, path: string) {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content.Security.Policy/i.test(msg.text())) violations.push(msg.text());
  });
  await page.goto(`${site.url}${path}`);
  const panel = page.locator('[data-measure-panel]');
  await expect(panel).toHaveAttribute('data-ready', 'true');
  return { panel, violations };
}

// wasm runs the page's default 20 runs (long enough to act mid-run); SwiftShader's WebGL is slow: 3.
const RUNS = { wasm: 20, webgl: 3 } as const;
for (const backend of ['wasm', 'webgl'] as const) {
  test(`runs to completion on ${backend}: layer and networks, page responsive, results reported`, async ({ page, problems }) => {
    test.setTimeout(600_000);
    // wasm asks for two threads (?threads=2): tfjs alone would give a two-core machine one.
    const runs = backend === 'wasm' ? 'threads=2&' : `runs=${RUNS[backend]}&`;
    const { panel, violations } = await openPanel(page, `/ghostnet-v1/?${runs}backends=${backend}&c=64&n=64&h=14&w=14&s=2&d=3`);
    // Nothing runs before the click.
    expect(await measurements(page)).toEqual([]);
    await expect(panel.getByTestId(`measure-backend-${backend}`)).toBeChecked();
    await panel.locator('[data-action="measure"]').click();
    await expect(panel.locator('[data-action="cancel"]')).toBeEnabled();
    const progress = panel.getByTestId('measure-progress');
    await expect.poll(() => progress.evaluate((p: HTMLProgressElement) => p.value), { timeout: 120_000 }).toBeGreaterThan(0);

    // Mid-run the calculator still answers: a slider moved now updates its r_s at once.
    const calc = page.locator('[data-ghost-speedup]');
    const slider = calc.getByTestId('slider-c');
    await slider.scrollIntoViewIfNeeded();
    await slider.fill('96');
    await expect(calc.getByTestId('rs-exact')).toHaveAttribute('data-value', String(ghostRatio(2, 3, 96, 3, 64)), { timeout: 5_000 });
    expect(await panel.getAttribute('data-state')).toBe('running');
    expect(await progress.evaluate((p: HTMLProgressElement) => p.value)).toBeLessThan(1);

    await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 540_000 });
    const m = await measurements(page);
    expect(m.map((x) => x.what).sort()).toEqual(['conv', 'ghost', 'ghostnet_100', 'ghostnetv2_100', 'plain_100']);
    for (const x of m) {
      expect(x.backend).toBe(backend);
      expect(x.runs).toBe(RUNS[backend]);
      expect(x.medianMs).toBeGreaterThan(0);
    }
    // The layer row's prediction is the calculator's r_s for the layer measured (c = 64).
    const layerRow = panel.locator('[data-testid="measure-speedups"] tr[data-id="layer"]');
    expect(Number(await layerRow.getAttribute('data-predicted'))).toBeCloseTo(ghostRatio(2, 3, 64, 3, 64), 9);
    expect(Number(await layerRow.getAttribute('data-measured'))).toBeGreaterThan(0);
    await expect(panel.locator('[data-testid="measure-speedups"] tr[data-id="net"]')).toHaveCount(1);
    await expect(panel.getByTestId(`measure-ratio-${backend}-layer`)).toBeAttached();
    await expect(panel.locator('[data-testid="measure-table"] tbody tr')).toHaveCount(5);
    const threads = await page.evaluate(() => (window as unknown as { ghostlab: { wasmThreads: boolean } }).ghostlab.wasmThreads);
    expect(typeof threads).toBe('boolean');
    if (backend === 'wasm') {
      // Served with COOP/COEP: the page is isolated and tfjs's threaded flavour runs two threads.
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
      expect(threads).toBe(true);
    }

    // Copy: Markdown and JSON with the browser, backend and settings.
    await panel.locator('[data-action="copy-json"]').click();
    const json = JSON.parse(await panel.getByTestId('measure-copy-text').inputValue());
    expect(json.browser).toContain('Chrome');
    expect(json.settings.layer).toMatchObject({ c: 64, n: 64, h: 14, w: 14, s: 2, d: 3, k: 3 });
    expect(json.measurements).toHaveLength(5);
    await panel.locator('[data-action="copy-markdown"]').click();
    const md = await panel.getByTestId('measure-copy-text').inputValue();
    expect(md).toContain(`| ${backend} | conv |`);
    expect(md).toContain('c=64, n=64');
    // The filled tables, chart and copy box stay accessible.
    const axe = await new AxeBuilder({ page }).include('[data-measure-panel]').analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
    expect(violations).toEqual([]);
    expectCleanHere(problems);
  });
}

test('cancel stops the run and keeps the page usable; the calculator link hands over its settings (zh)', async ({ page }) => {
  test.setTimeout(300_000);
  const { panel } = await openPanel(page, '/zh/ghostnet-v1/?runs=50&backends=wasm&c=32&n=32&h=8&w=8');
  const calc = page.locator('[data-ghost-speedup]');
  await expect(calc).toHaveAttribute('data-ready', 'true');
  await calc.getByTestId('input-n').fill('48');
  await calc.getByTestId('input-n').press('Enter');
  await calc.getByTestId('measure-link').click();
  await expect(panel.getByTestId('measure-layer')).toHaveAttribute('data-layer', /"n":48/);
  expect(page.url()).toContain('#measure-device');
  await panel.locator('[data-action="measure"]').click();
  await expect(panel.getByTestId('measure-progress')).not.toHaveJSProperty('value', 0, { timeout: 60_000 });
  await panel.locator('[data-action="cancel"]').click();
  await expect(panel).toHaveAttribute('data-state', 'cancelled');
  await expect(panel.locator('[data-action="measure"]')).toBeEnabled();
  await expect(panel.locator('[data-action="cancel"]')).toBeDisabled();
  const workers = page.workers().length;
  const before = (await measurements(page)).length;
  await page.waitForTimeout(1500);
  // Nothing arrives after a cancel: the worker is gone.
  expect((await measurements(page)).length).toBe(before);
  expect(page.workers().length).toBeLessThanOrEqual(workers);
  await expect(panel.getByTestId('measure-status')).toContainText('已取消');
});

test('a layer too large is refused before any work, with the reason', async ({ page }) => {
  const { panel } = await openPanel(page, '/ghostnet-v1/?c=1024&n=1024&k=9&h=224&w=224&backends=wasm');
  await panel.locator('[data-action="measure"]').click();
  await expect(panel.getByTestId('measure-status')).toContainText('MACs');
  expect(await panel.getAttribute('data-state')).toBeNull();
  expect(await measurements(page)).toEqual([]);
});

for (const path of ['/ghostnet-v1/', '/zh/ghostnet-v1/']) {
  test(`${path} measure panel has no axe violations and fits a phone`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const { panel } = await openPanel(page, path);
    await panel.scrollIntoViewIfNeeded();
    const results = await new AxeBuilder({ page }).include('[data-measure-panel]').analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
}
