import type { Page } from '@playwright/test';
import { test, expect, expectClean, open } from './fixtures';

// The lab's compare view (src/components/lab/compare-panel.ts): a second model on the same image
// and the same layer, side by side.
interface Compare { modelId: string; layer: string; prediction: { index: number; label: string; p: number }; ghostSourceSimilarity: number | null }
interface Status { modelId: string | null; ready: boolean; numTensors: number; layer: string | null; lastPrediction: { index: number; label: string; p: number } | null; compare: Compare | null }
const status = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { ghostlab: Status }).ghostlab }));
const ready = (page: Page, model: string) =>
  page.waitForFunction((m) => {
    const g = (window as unknown as { ghostlab?: Status }).ghostlab;
    return g?.ready === true && g.modelId === m;
  }, model, { timeout: 90_000 });
const compared = (page: Page, model: string | null) =>
  page.waitForFunction((m) => (window as unknown as { ghostlab: Status }).ghostlab.compare?.modelId === (m ?? undefined), model, { timeout: 90_000 });

for (const lang of ['en', 'zh'] as const) {
  const prefix = lang === 'zh' ? '/zh' : '';

  test(`${lang}: d = 1 beside d = 3 on the same image and layer, each prediction what that model gives alone`, async ({ page, problems }) => {
    await open(page, `${prefix}/lab/?s=2&d=3&backend=wasm&layer=blocks.2.0.ghost1&sample=3`);
    await ready(page, 'ghostnet-fmnist-s2-d3');
    const baseline = (await status(page)).numTensors;
    const panel = page.locator('[data-role="compare-panel"]');
    await panel.locator('[data-role="compare-model"]').selectOption('ghostnet-fmnist-s2-d1');
    await compared(page, 'ghostnet-fmnist-s2-d1');
    await expect.poll(() => new URL(page.url()).searchParams.get('compare')).toBe('ghostnet-fmnist-s2-d1');
    const cols = panel.locator('.lab-compare-col');
    await expect(cols).toHaveCount(2);
    await expect(cols.nth(0).locator('h4')).toContainText('ghostnet-fmnist-s2-d3');
    await expect(cols.nth(1).locator('h4')).toContainText('ghostnet-fmnist-s2-d1');
    // The same layer in both, split into m intrinsic maps and m(s − 1) = m ghosts.
    for (const i of [0, 1]) {
      await expect(cols.nth(i)).toContainText('blocks.2.0.ghost1');
      const m = await cols.nth(i).locator('.gv-cell[data-group="intrinsic"]').count();
      expect(m).toBeGreaterThan(0);
      await expect(cols.nth(i).locator('.gv-cell[data-group="ghost"]')).toHaveCount(m);
    }
    const cmp = (await status(page)).compare!;
    expect(cmp.layer).toBe('blocks.2.0.ghost1');
    expect(cmp.ghostSourceSimilarity).not.toBeNull();
    await expect(cols.nth(1).locator('[data-role="compare-resemblance"]')).toContainText(cmp.ghostSourceSimilarity!.toFixed(2));
    await expect(cols.nth(0).locator('[data-role="compare-resemblance"]')).toHaveCount(1);

    // A map picked in the second column is selected in both, and the inspector follows (URL).
    await cols.nth(1).locator('.gv-cell[data-group="ghost"]').first().click();
    const m = await cols.nth(1).locator('.gv-cell[data-group="intrinsic"]').count();
    await expect.poll(() => new URL(page.url()).searchParams.get('channel')).toBe(String(m));
    await expect(cols.nth(0).locator(`.gv-cell[aria-selected="true"]`)).toHaveCount(1);
    await expect(cols.nth(1).locator(`.gv-cell[aria-selected="true"]`)).toHaveCount(1);

    // The compared model, loaded as the main model, predicts exactly what its column said.
    await page.locator('[data-role="model"]').selectOption('ghostnet-fmnist-s2-d1');
    await ready(page, 'ghostnet-fmnist-s2-d1');
    const alone = (await status(page)).lastPrediction!;
    expect(alone.index).toBe(cmp.prediction.index);
    expect(alone.p).toBeCloseTo(cmp.prediction.p, 5);

    // The plain twin has no ghosts: its column says so, and nothing is measured for it.
    await panel.locator('[data-role="compare-model"]').selectOption('plainnet-fmnist');
    await compared(page, 'plainnet-fmnist');
    expect((await status(page)).compare!.ghostSourceSimilarity).toBeNull();
    await expect(cols).toHaveCount(2);
    await expect(cols.nth(1).locator('[data-role="compare-resemblance"]')).toHaveCount(0);

    // No second model: its columns and its tensors go.
    await page.locator('[data-role="model"]').selectOption('ghostnet-fmnist-s2-d3');
    await ready(page, 'ghostnet-fmnist-s2-d3');
    await panel.locator('[data-role="compare-model"]').selectOption('');
    await compared(page, null);
    await expect(cols).toHaveCount(0);
    await expect.poll(() => new URL(page.url()).searchParams.has('compare')).toBe(false);
    await expect.poll(async () => (await status(page)).numTensors).toBe(baseline);
    expectClean(problems);
  });

  test(`${lang}: a shared link reopens the comparison; a model that is not shipped is ignored`, async ({ page, problems }) => {
    await open(page, `${prefix}/lab/?backend=wasm&layer=blocks.2.0.ghost1&compare=plainnet-fmnist`);
    await compared(page, 'plainnet-fmnist');
    const panel = page.locator('[data-role="compare-panel"]');
    await expect(panel.locator('[data-role="compare-model"]')).toHaveValue('plainnet-fmnist');
    await expect(panel.locator('.lab-compare-col')).toHaveCount(2);
    expect((await status(page)).compare!.layer).toBe('blocks.2.0.ghost1');
    expectClean(problems);

    // A link naming a model the lab does not ship (here with a control character): the lab opens
    // without a comparison, says which value it could not use, and drops it from the address.
    await open(page, `${prefix}/lab/?backend=wasm&compare=no-such%07model`);
    await page.waitForFunction(() => (window as unknown as { ghostlab?: Status }).ghostlab?.ready === true, undefined, { timeout: 90_000 });
    expect((await status(page)).compare).toBeNull();
    await expect(panel.locator('[data-role="compare-model"]')).toHaveValue('');
    const note = page.locator('[data-role="notices"] .notice', { hasText: 'compare=' });
    await expect(note).toContainText('no-such\ufffdmodel');
    expect(new URL(page.url()).searchParams.has('compare')).toBe(false);
  });
}
