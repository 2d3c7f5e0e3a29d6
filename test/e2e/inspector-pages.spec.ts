import type { Page } from '@playwright/test';
import { test, expect, expectClean, open } from './fixtures';

// ImageNet-scale layers (hundreds of maps) are drawn a page at a time, never all at once.
interface Status { ready: boolean; modelId: string | null; layer: string | null }
const ready = (page: Page, id: string) =>
  page.waitForFunction((want) => {
    const g = (window as unknown as { ghostlab: Status }).ghostlab;
    return g?.modelId === want && g.ready;
  }, id, { timeout: 180_000 });

test('a 960-map Ghost module of GhostNet 1.0× (480 intrinsic, 480 ghosts) is drawn a page of 128 maps at a time, and the pager moves the selection', async ({ page, problems }) => {
  test.setTimeout(300_000);
  await open(page, '/lab/?backend=wasm');
  await ready(page, 'ghostnet-fmnist');
  await page.locator('[data-role="checkpoint-arch"]').selectOption('ghostnet_100');
  await page.locator('[data-role="untrained"]').click();
  await ready(page, 'ghostnet_100 (untrained)');
  const layer = page.locator('[data-role="layer"]');
  const big = 'blocks.8.0.ghost1'; // 160 → 960 channels: m = 480 intrinsic maps, 480 ghosts
  await layer.selectOption(big);
  await page.waitForFunction((l) => (window as unknown as { ghostlab: Status }).ghostlab.layer === l && (window as unknown as { ghostlab: Status }).ghostlab.ready, big);
  const inspector = page.locator('[data-role="inspector"]');
  const intrinsic = inspector.locator('.lab-group-intrinsic');
  await expect(intrinsic.locator('.gv-cell')).toHaveCount(128);
  await expect(inspector.locator('.lab-group-ghost .gv-cell')).toHaveCount(128);
  const pager = intrinsic.locator('[data-role="pager"]');
  await expect(pager).toContainText('1–128');
  await pager.getByRole('button').last().click();
  await expect(pager).toContainText('129–');
  await expect.poll(() => new URL(page.url()).searchParams.get('channel')).toBe('128');
  await expect(intrinsic.locator('.gv-cell[aria-selected="true"]')).toHaveCount(1);
  expectClean(problems);
});

test('GhostNetV2 1.0× at 224: the strip, the DFC stages and gates, and step mode all work at ImageNet scale', async ({ page, problems }) => {
  test.setTimeout(300_000);
  await open(page, '/lab/?backend=wasm');
  await ready(page, 'ghostnet-fmnist');
  await page.locator('[data-role="checkpoint-arch"]').selectOption('ghostnetv2_100');
  await page.locator('[data-role="untrained"]').click();
  await ready(page, 'ghostnetv2_100 (untrained)');
  // One strip column per block (16 bottlenecks and the layers around them).
  expect(await page.locator('[data-role="strip"] .gv-col').count()).toBeGreaterThanOrEqual(16);
  const layer = page.locator('[data-role="layer"]');
  for (const name of ['blocks.3.0.ghost1', 'blocks.8.0.ghost1']) {
    await layer.selectOption(name);
    await page.waitForFunction((l) => (window as unknown as { ghostlab: Status }).ghostlab.layer === l && (window as unknown as { ghostlab: Status }).ghostlab.ready, name);
    const inspector = page.locator('[data-role="inspector"]');
    // The four DFC stages, the ungated and the gated output, each drawn.
    await expect(inspector.locator('.lab-attn figure')).toHaveCount(6);
    await expect(inspector.locator('.lab-attn canvas').first()).toBeVisible();
  }
  // Step mode walks the same module down to the gated output.
  const step = page.locator('[data-role="step-panel"]');
  await step.locator('summary').click();
  await step.locator('[data-action="step-next"]').focus();
  await page.keyboard.press('End');
  await expect.poll(() => page.evaluate(() => (window as unknown as { ghostlab: { step: { id: string } | null } }).ghostlab.step?.id)).toBe('gated');
  await expect(step.locator('[data-role="step-maps"] .gv-cell')).toHaveCount(16);
  expectClean(problems);
});
