import { test, expect, open } from './fixtures';

test('on a software WebGL (SwiftShader here), "automatic" runs on WebAssembly and says why; ?backend=webgl still forces WebGL', async ({ page }) => {
  await open(page, '/lab/');
  await page.waitForFunction(() => (window as unknown as { ghostlab?: { ready: boolean } }).ghostlab?.ready === true, null, { timeout: 90_000 });
  expect(await page.evaluate(() => (window as unknown as { ghostlab: { backend: string } }).ghostlab.backend)).toBe('wasm');
  await expect(page.locator('[data-role="notices"] .notice', { hasText: /SwiftShader/i })).toBeVisible();
  await open(page, '/lab/?backend=webgl');
  await page.waitForFunction(() => (window as unknown as { ghostlab?: { ready: boolean } }).ghostlab?.ready === true, null, { timeout: 90_000 });
  expect(await page.evaluate(() => (window as unknown as { ghostlab: { backend: string } }).ghostlab.backend)).toBe('webgl');
});

test('the gallery is one Tab stop with arrow keys inside, and Enter picks a sample', async ({ page }) => {
  await open(page, '/lab/?backend=wasm');
  await page.waitForFunction(() => (window as unknown as { ghostlab?: { ready: boolean } }).ghostlab?.ready === true, null, { timeout: 90_000 });
  const buttons = page.locator('[data-role="gallery"] [data-sample]');
  expect(await buttons.evaluateAll((bs) => bs.filter((b) => (b as HTMLElement).tabIndex === 0).length)).toBe(1);
  await page.locator('[data-role="gallery"] [data-sample][tabindex="0"]').focus();
  const before = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.sample);
  await page.keyboard.press('ArrowRight');
  const after = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.sample);
  expect(after).not.toBe(before);
  await page.keyboard.press('Enter');
  await expect.poll(() => new URL(page.url()).searchParams.get('sample')).toBe(after);
  await expect(page.locator(`[data-role="gallery"] [data-sample="${after}"]`)).toHaveAttribute('aria-selected', 'true');
});

test('the Φ readout writes BatchNorm once, with the shift’s own sign, and the effective scale for d = 1', async ({ page }) => {
  await open(page, '/lab/?backend=wasm&model=ghostnet-fmnist-s2-d1&layer=blocks.2.0.ghost1');
  await page.waitForFunction(() => (window as unknown as { ghostlab?: { ready: boolean; modelId: string } }).ghostlab?.modelId === 'ghostnet-fmnist-s2-d1' && (window as unknown as { ghostlab: { ready: boolean } }).ghostlab.ready, null, { timeout: 90_000 });
  await page.locator('.gv-cell[data-group="ghost"] canvas').first().hover();
  const text = (await page.locator('.lab-kernel .lab-meta').textContent()) ?? '';
  expect(text.match(/BN/g)?.length).toBeGreaterThanOrEqual(1);
  expect(text).not.toMatch(/BatchNorm/);
  expect(text).not.toMatch(/\+ -|− -/);
  expect(text).toMatch(/in effect -?[\d.]+ · y′ [+−] [\d.]+/);
});
