import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ghostResemblance } from '../../src/model/resemblance';
import { test, expect, expectClean, open } from './fixtures';

// The lab's measurement of the ghost claim (src/components/lab/ghost-claim-panel.ts), checked
// against the command line on the same images: `ghostlab inspect` for the maps, `ghostlab
// predict` for the intact model's gallery accuracy.
interface Knock { layer: string; mode: string; accuracy: number; baseline: number }
interface Status {
  ready: boolean;
  modelId: string | null;
  layer: string | null;
  resemblance: { layer: string; own: number[]; nearest: number[]; meanOwn: number; sourceIsNearest: number } | null;
  knockout: Knock | null;
  knockouts: Knock[] | null;
}
const status = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { ghostlab: Status }).ghostlab }));
const until = (page: Page, fn: string, timeout = 120_000) => page.waitForFunction(fn, null, { timeout });
const cli = (args: string[]) => JSON.parse(execFileSync(process.execPath, ['bin/ghostlab.js', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }));
const index = JSON.parse(readFileSync('public/samples/index.json', 'utf8')) as { samples: { file: string; label: number }[] };
const MODEL = 'public/weights/ghostnet-fmnist';
const LAYER = 'blocks.2.0.ghost1';

function channels(values: number[], shape: number[]): number[][] {
  const c = shape[3]!;
  return Array.from({ length: c }, (_, k) => values.filter((_, i) => i % c === k));
}

test('each ghost against its own source: the lab’s numbers are those of `ghostlab inspect` on the same image', async ({ page, problems }) => {
  await open(page, `/lab/?backend=wasm&layer=${LAYER}&sample=4`);
  await until(page, `window.ghostlab?.ready && window.ghostlab.resemblance?.layer === '${LAYER}'`);
  const r = (await status(page)).resemblance!;
  const file = `public/samples/${index.samples[4]!.file}`;
  const tap = (name: string) => cli(['inspect', '--model', MODEL, '--input', file, '--tap', name, '--json']) as { shape: number[]; values: number[] };
  const intrinsic = tap(`${LAYER}.intrinsic`);
  const ghosts = tap(`${LAYER}.ghost`);
  const m = intrinsic.shape[3]!;
  const want = ghostResemblance(channels(intrinsic.values, intrinsic.shape), channels(ghosts.values, ghosts.shape), Array.from({ length: ghosts.shape[3]! }, (_, j) => j));
  expect(r.own).toHaveLength(ghosts.shape[3]!);
  r.own.forEach((v, j) => expect(v, `ghost ${j}`).toBeCloseTo(want.own[j]!, 3));
  expect(r.sourceIsNearest).toBeCloseTo(want.sourceIsNearest, 6);

  const panel = page.locator('[data-role="claim-panel"]');
  await expect(panel.locator('[data-role="claim-summary"]')).toContainText(r.meanOwn.toFixed(2));
  const rows = panel.locator('[data-role="claim-maps"] .vr-row');
  await expect(rows).toHaveCount(r.own.length);
  await expect(panel.locator('[data-role="claim-maps"] .vr-marked')).toHaveCount(Math.round(r.sourceIsNearest * r.own.length));
  // A ghost's row selects that ghost map (output channel m + j) in the inspector, by keyboard.
  await rows.nth(2).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => new URL(page.url()).searchParams.get('channel')).toBe(String(m + 2));
  // A module's row opens that module.
  await panel.locator('summary').click();
  await panel.locator('[data-role="claim-modules"] [data-row="blocks.4.0.ghost2"] .vr-row').click();
  await until(page, `window.ghostlab.resemblance?.layer === 'blocks.4.0.ghost2'`);
  expect((await status(page)).layer).toBe('blocks.4.0.ghost2');
  expectClean(problems);
});

for (const lang of ['en', 'zh'] as const) {
  test(`${lang}: knocking out a module's ghosts lowers the gallery accuracy below the intact model's, computed live`, async ({ page, problems }) => {
    test.setTimeout(240_000);
    await open(page, `${lang === 'zh' ? '/zh' : ''}/lab/?backend=wasm&layer=${LAYER}`);
    await until(page, 'window.ghostlab?.ready === true');
    const panel = page.locator('[data-role="claim-panel"]');
    await panel.locator('[data-action="knockout"]').click();
    await expect(panel.locator('[data-action="knockout-cancel"]')).toBeVisible();
    await until(page, `window.ghostlab.knockout?.layer === '${LAYER}'`);
    const k = (await status(page)).knockout!;
    expect(k.mode).toBe('zeros');
    expect(k.accuracy).toBeLessThan(k.baseline);

    // The intact model's gallery accuracy is what `ghostlab predict` gives on the same 300 images.
    const files = index.samples.map((s) => `public/samples/${s.file}`);
    const { logits } = cli(['predict', '--model', MODEL, '--input', ...files, '--json']) as { logits: number[][] };
    const right = logits.filter((row, i) => row.indexOf(Math.max(...row)) === index.samples[i]!.label).length;
    expect(k.baseline).toBeCloseTo(right / files.length, 6);
    await expect(panel.locator('[data-role="knockout-result"]')).toContainText(`${(k.accuracy * 100).toFixed(1)} %`);

    // Copies of the sources instead of zeros: a different network, so a different accuracy run.
    await panel.locator('[data-role="knockout-mode"]').selectOption('copies');
    await panel.locator('[data-action="knockout"]').click();
    await until(page, `window.ghostlab.knockout?.mode === 'copies'`);
    expect((await status(page)).knockout!.baseline).toBe(k.baseline);
    expectClean(problems);
  });
}

test('every module in turn: one bar per Ghost module against the intact line; cancel stops a run', async ({ page, problems }) => {
  test.setTimeout(300_000);
  await open(page, `/lab/?backend=wasm&layer=${LAYER}`);
  await until(page, 'window.ghostlab?.ready === true');
  const panel = page.locator('[data-role="claim-panel"]');
  // Cancel first: the run stops, the buttons come back, nothing is reported.
  await panel.locator('[data-action="knockout-all"]').click();
  await panel.locator('[data-action="knockout-cancel"]').click();
  await expect(panel.locator('[data-action="knockout-all"]')).toBeEnabled();
  await expect(panel.locator('[data-role="knockout-result"]')).not.toBeEmpty();
  expect((await status(page)).knockouts).toBeNull();

  await panel.locator('[data-action="knockout-all"]').click();
  await until(page, 'window.ghostlab.knockouts !== null', 280_000);
  const all = (await status(page)).knockouts!;
  const modules = await page.evaluate(() => (window as unknown as { ghostlab: Status }).ghostlab.resemblance);
  expect(modules).not.toBeNull();
  expect(all.length).toBe(await panel.locator('[data-role="claim-modules"] .vr-row').count());
  await expect(panel.locator('[data-role="knockout-chart"] .vr-row')).toHaveCount(all.length);
  expect(all.some((k) => k.accuracy < k.baseline)).toBe(true);
  expectClean(problems);
});
