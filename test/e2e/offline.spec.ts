import { join } from 'node:path';
import { test, expect } from './fixtures';
import { serveSite, type StaticSite } from './static-server';

/**
 * After one visit the course works with no network: the service worker has cached the chapters,
 * the lab, its scripts and the shipped models. The server is really stopped (not only the browser
 * put offline), so nothing can come from it.
 */
test.use({ serviceWorkers: 'allow' });

let site: StaticSite;
test.beforeAll(async () => {
  site = await serveSite(join(process.cwd(), process.env.ASTRO_OUT_DIR ?? 'dist'), join(process.cwd(), 'public', '_headers'));
});
test.afterAll(async () => site?.close());

test('with the server stopped after one visit, the lab reloads, predicts and opens layers', async ({ page, context }) => {
  test.setTimeout(180_000);
  await page.goto(`${site.url}/lab/?backend=wasm`);
  await page.waitForFunction(() => window.ghostlab?.ready === true, null, { timeout: 60_000 });

  // The worker is installed once everything it precaches is stored, and then controls the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  const cached = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith('ghostlab-'));
    const cache = await caches.open(names[0]!);
    const urls = (await cache.keys()).map((r) => new URL(r.url).pathname);
    return { names, urls };
  });
  expect(cached.names).toHaveLength(1);
  for (const path of ['/', '/lab/', '/zh/lab/', '/ghostnet-v1/', '/zh/ghostnet-v2/', '/weights/ghostnet-fmnist/model.json', '/weights/ghostnetv2-fmnist/model.json', '/samples/index.json', '/theme.js']) {
    expect(cached.urls, path).toContain(path);
  }
  expect(cached.urls.some((u) => u.endsWith('.wasm'))).toBe(true);
  expect(cached.urls.some((u) => /KaTeX_Main-Regular.*\.woff2$/.test(u))).toBe(true);
  // Storage stays modest: no ablation-grid cell is stored before a reader opens one.
  expect(cached.urls.filter((u) => /-s\d+-d\d+\//.test(u))).toEqual([]);

  await site.close();
  await context.setOffline(true);

  await page.reload();
  await page.waitForFunction(() => window.ghostlab?.ready === true, null, { timeout: 60_000 });
  const s = await page.evaluate(() => ({ ...window.ghostlab }));
  expect(s.backend).toBe('wasm');
  expect(s.modelId).toBe('ghostnet-fmnist');
  expect(s.lastPrediction?.label).toBeTruthy();

  // Another gallery image is predicted, and layers open, all from the cache.
  const before = s.lastInferenceMs;
  await page.locator('[data-role="gallery"] button').nth(3).click();
  await page.waitForFunction((t) => window.ghostlab.ready && window.ghostlab.lastInferenceMs !== t, before, { timeout: 30_000 });
  const layers = await page.evaluate(() => window.ghostlabDebug.layers());
  for (const name of [layers[2]!, layers[layers.length - 2]!]) {
    await page.evaluate((n) => window.ghostlabDebug.openLayer(n), name);
    await expect(page.locator('[data-role="layer"]')).toHaveValue(name);
    expect(await page.locator('.lab-inspector canvas').count()).toBeGreaterThan(0);
  }

  // The other shipped models are there too.
  await page.locator('[data-role="model"]').selectOption('ghostnetv2-fmnist');
  await page.waitForFunction(() => window.ghostlab.modelId === 'ghostnetv2-fmnist' && window.ghostlab.ready, null, { timeout: 60_000 });
  expect(await page.evaluate(() => window.ghostlab.error ?? null)).toBeNull();

  // And the chapters read offline, in both languages, formulas typeset.
  for (const path of ['/ghostnet-v1/', '/zh/ghostnet-v2/']) {
    await page.goto(`${site.url}${path}`);
    await expect(page.locator('h1')).toBeVisible();
    expect(await page.locator('.katex').count()).toBeGreaterThan(5);
  }
  // A page never visited nor precached says so instead of a browser error page.
  const res = await page.goto(`${site.url}/no-such-page/`);
  expect(res?.status()).toBe(503);
  await expect(page.locator('body')).toContainText('offline');
});
