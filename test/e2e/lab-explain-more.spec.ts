import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, expectClean, open } from './fixtures';

// Intrinsic and GhostNetV2 gate pixels explained in the lab (explain-panel.ts): the explained value
// is the tap's value in the page AND `ghostlab inspect` at that position on the same sample file.
interface Explained { tap: string; channel: number; x: number; y: number; value: number }
type Tap = { shape: number[]; data: number[] };
type Status = { explained: Explained | null; explainedGate: Explained | null };

const status = (page: Page) => page.evaluate(() => {
  const g = (window as unknown as { ghostlab: Status }).ghostlab;
  return { explained: g.explained, explainedGate: g.explainedGate };
});
const tap = (page: Page, name: string) => page.evaluate((n) => (window as unknown as { ghostlabDebug: { tap(n: string): Promise<Tap> } }).ghostlabDebug.tap(n), name);
const valueAt = (t: Tap, e: Explained) => t.data[(e.y * t.shape[1]! + e.x) * t.shape[2]! + e.channel]!;
const index = JSON.parse(readFileSync('public/samples/index.json', 'utf8')) as { samples: { file: string }[] };
/** values[((0·H + y)·W + x)·C + c] of `ghostlab inspect --json`, on wasm. */
function cliValue(model: string, sample: number, e: Explained): number {
  const out = JSON.parse(execFileSync(process.execPath, ['bin/ghostlab.js', 'inspect', '--model', `public/weights/${model}`, '--input', `public/samples/${index.samples[sample]!.file}`, '--tap', e.tap, '--json', '--backend', 'wasm'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as { shape: number[]; values: number[] };
  const [, h, w, c] = out.shape as [number, number, number, number];
  expect(e.y).toBeLessThan(h);
  return out.values[((0 * h + e.y) * w + e.x) * c + e.channel]!;
}

async function expectEqualEverywhere(page: Page, model: string, sample: number, e: Explained): Promise<void> {
  expect(Math.abs(e.value - valueAt(await tap(page, e.tap), e))).toBeLessThan(1e-4);
  expect(Math.abs(e.value - cliValue(model, sample, e))).toBeLessThan(1e-4);
}

// blocks.2.0.ghost1 of ghostnet-fmnist: 36 intrinsic maps (1×1 primary conv, ReLU); blocks.4.0.ghost1
// of ghostnetv2-fmnist: 60 intrinsic + 60 ghost maps at 7×7, gated from a 3×3 down-sampled cell.
for (const c of [
  { lang: 'en', model: 'ghostnet-fmnist', layer: 'blocks.2.0.ghost1', channel: 5, x: 7, y: 7, sample: 4, tap: 'intrinsic', gate: false },
  { lang: 'zh', model: 'ghostnetv2-fmnist', layer: 'blocks.4.0.ghost1', channel: 70, x: 2, y: 6, sample: 7, tap: 'ghost', gate: true },
  { lang: 'en', model: 'ghostnetv2-fmnist', layer: 'blocks.4.0.ghost1', channel: 3, x: 6, y: 0, sample: 11, tap: 'intrinsic', gate: true },
] as const) {
  test(`${c.lang}: ${c.model} ${c.layer} channel ${c.channel}: the ${c.tap} pixel${c.gate ? ' and its gate' : ''} equal the taps and \`ghostlab inspect\``, async ({ page, problems }) => {
    await open(page, `${c.lang === 'zh' ? '/zh' : ''}/lab/?backend=wasm&model=${c.model}&sample=${c.sample}&layer=${c.layer}&channel=${c.channel}&x=${c.x}&y=${c.y}`);
    await expect.poll(async () => (await status(page)).explained, { timeout: 90_000 }).not.toBeNull();
    if (c.gate) await expect.poll(async () => (await status(page)).explainedGate, { timeout: 30_000 }).not.toBeNull();
    const s = await status(page);
    const e = s.explained!;
    expect([e.tap, e.x, e.y]).toEqual([`${c.layer}.${c.tap}`, c.x, c.y]);
    // pixels the ReLU keeps: the listed terms really add up to the value shown
    expect(e.value).not.toBe(0);
    await expectEqualEverywhere(page, c.model, c.sample, e);
    await expect(page.locator('[data-role="explain-value"]')).toContainText(e.value.toFixed(4));
    if (c.tap === 'intrinsic') {
      // the largest terms of the 1×1 conv, one row each
      await expect(page.locator('[data-role="explain"] table').first().locator('tbody tr')).toHaveCount(8);
    }
    if (c.gate) {
      const g = s.explainedGate!;
      expect([g.tap, g.channel, g.x, g.y]).toEqual([`${c.layer}.attn.gate`, c.channel, c.x, c.y]);
      await expectEqualEverywhere(page, c.model, c.sample, g);
      await expect(page.locator('[data-role="explain-gate-value"]')).toContainText(g.value.toFixed(4));
      // 3 → 7 nearest up-sampling reads cells 0,0,0,1,1,2,2: the rows that share this pixel's cell are named
      const shared = [0, 0, 0, 1, 1, 2, 2].flatMap((cell, i, all) => (cell === all[c.y] ? [i] : []));
      await expect(page.locator('[data-role="explain-upsample"]')).toContainText(`${shared.join(', ')}`);
      await expect(page.locator('[data-role="explain-upsample"]')).toContainText('3 → 7');
    }
    expectClean(problems);
  });
}

test.describe('phone 390 × 844', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('zh: an intrinsic pixel with its gate fits the screen, and the explanation passes axe', async ({ page, problems }) => {
    await open(page, '/zh/lab/?backend=wasm&model=ghostnetv2-fmnist&layer=blocks.5.0.ghost1&channel=2&x=3&y=3');
    await expect.poll(async () => (await status(page)).explainedGate, { timeout: 90_000 }).not.toBeNull();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const axe = await new AxeBuilder({ page }).include('[data-role="explain"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    expectClean(problems);
  });
});

test('a pixel picked on the V2 gate or the gated output, by pointer or keyboard, is explained as one of the selected map', async ({ page, problems }) => {
  const layer = 'blocks.4.0.ghost1';
  await open(page, `/lab/?backend=wasm&model=ghostnetv2-fmnist&sample=7&layer=${layer}&channel=3`);
  const gate = page.locator(`figure[data-stage="${layer}.attn.gate"] canvas`).first();
  await expect(gate).toBeVisible({ timeout: 90_000 });
  const box = (await gate.boundingBox())!;
  // Row 5, column 2 of the 7×7 gate.
  await gate.click({ position: { x: (box.width * 2.5) / 7, y: (box.height * 5.5) / 7 } });
  await expect.poll(async () => (await status(page)).explainedGate, { timeout: 30_000 }).toMatchObject({ tap: `${layer}.attn.gate`, channel: 3, x: 2, y: 5 });
  await expect.poll(() => new URL(page.url()).searchParams.get('x')).toBe('2');
  expect(new URL(page.url()).searchParams.get('y')).toBe('5');
  const e = (await status(page)).explainedGate!;
  await expectEqualEverywhere(page, 'ghostnetv2-fmnist', 7, e);

  // From the keyboard, on the gated output: the cursor starts on the picked pixel.
  const gated = page.locator(`figure[data-stage="${layer}"] canvas`).first();
  await gated.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await status(page)).explainedGate, { timeout: 30_000 }).toMatchObject({ x: 3, y: 5 });
  expect((await status(page)).explained).toMatchObject({ x: 3, y: 5 });
  expectClean(problems);
});
