import type { Page } from '@playwright/test';
import { test, expect, open } from './fixtures';

const ghostlab = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { ghostlab: Record<string, unknown> }).ghostlab }));

test('a model that fails to load changes nothing: the old model keeps answering, and a retry recovers', async ({ page }) => {
  await open(page, '/lab/?backend=wasm&model=ghostnet-fmnist');
  await page.waitForFunction(() => (window as unknown as { ghostlab: { ready: boolean } }).ghostlab?.ready === true, null, { timeout: 45_000 });
  // The next model's weights cannot be fetched.
  let broken = true;
  await page.route('**/weights/plainnet-fmnist/**', (route) => (broken ? route.fulfill({ status: 503, body: 'down' }) : route.continue()));
  await page.locator('[data-role="model"]').selectOption('plainnet-fmnist');
  const alert = page.locator('[data-role="notices"] .error');
  await expect(alert).toContainText(/plainnet-fmnist.*503.*ghostnet-fmnist/);
  let s = await ghostlab(page);
  expect(s.modelId).toBe('ghostnet-fmnist');
  expect(s.ready).toBe(true);
  expect(s.error).toMatch(/503/);
  await expect(page.locator('[data-role="model"]')).toHaveValue('ghostnet-fmnist');
  // (the default model is left out of the URL)
  expect(new URL(page.url()).searchParams.get('model') ?? 'ghostnet-fmnist').toBe('ghostnet-fmnist');
  // The old model still predicts.
  await page.locator('[data-role="gallery"] button').nth(3).click();
  await page.waitForFunction(() => (window as unknown as { ghostlab: { lastPrediction: unknown; ready: boolean } }).ghostlab.ready);
  // Retry once the network is back: the new model loads, the failure is gone.
  broken = false;
  await alert.getByRole('button').click();
  await page.waitForFunction(() => (window as unknown as { ghostlab: { modelId: string; ready: boolean } }).ghostlab.modelId === 'plainnet-fmnist');
  await page.waitForTimeout(3000); console.log(JSON.stringify(await ghostlab(page)));
  await page.waitForFunction(() => (window as unknown as { ghostlab: { ready: boolean } }).ghostlab.ready);
  s = await ghostlab(page);
  expect(s.error).toBeNull();
  await expect(alert).toHaveCount(0);
  await expect(page.locator('[data-role="model"]')).toHaveValue('plainnet-fmnist');
  await expect.poll(() => new URL(page.url()).searchParams.get('model')).toBe('plainnet-fmnist');
});

test('a sample image that fails to load is reported as that image, and the model stays ready', async ({ page }) => {
  await open(page, '/lab/?backend=wasm');
  await page.waitForFunction(() => (window as unknown as { ghostlab: { ready: boolean } }).ghostlab?.ready === true, null, { timeout: 45_000 });
  const first = await ghostlab(page);
  await page.route('**/samples/*.png', (route) => route.fulfill({ status: 404, body: '' }));
  await page.locator('[data-role="gallery"] button').nth(5).click();
  const alert = page.locator('[data-role="notices"] .error');
  await expect(alert).toContainText(/sample image #\d+/);
  await expect(alert).not.toContainText(/Could not load ghostnet/);
  const s = await ghostlab(page);
  expect(s.modelId).toBe(first.modelId);
  expect(s.ready).toBe(true);
});
