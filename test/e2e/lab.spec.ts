import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, expectClean, open } from './fixtures';
import { flatPng } from './images';

interface Status {
  backend: string;
  modelId: string;
  ready: boolean;
  lastPrediction: { index: number; label: string; p: number } | null;
  lastInferenceMs: number | null;
  numTensors: number;
  error: string | null;
}
interface Debug {
  infer(): Promise<number>;
  openLayer(name: string): Promise<number>;
  layers(): string[];
  loseContext(): boolean;
}
declare global {
  interface Window {
    ghostlab: Status;
    ghostlabDebug: Debug;
  }
}

const status = (page: Page) => page.evaluate(() => ({ ...window.ghostlab }));

async function openLab(page: Page, query = ''): Promise<void> {
  await open(page, `/lab/${query}`);
  await page.waitForFunction(() => window.ghostlab?.ready === true, null, { timeout: 45_000 });
}

/** Waits for the next finished inference after `action`. */
async function afterRun(page: Page, action: () => Promise<void>): Promise<Status> {
  await page.evaluate(() => ((window as unknown as { __seen: unknown }).__seen = window.ghostlab.lastInferenceMs));
  await action();
  await page.waitForFunction(
    () => window.ghostlab.ready && window.ghostlab.lastInferenceMs !== (window as unknown as { __seen: unknown }).__seen,
    null,
    { timeout: 30_000 },
  );
  return status(page);
}

const samples = JSON.parse(readFileSync('public/samples/index.json', 'utf8')) as { samples: { file: string }[] };

test('a gallery sample is predicted in the page exactly as `ghostlab predict` predicts it', async ({ page, problems }) => {
  const i = 7;
  await openLab(page, `?model=ghostnetv2-fmnist&sample=${i}`);
  const s = await status(page);
  expect(s.modelId).toBe('ghostnetv2-fmnist');
  const file = `public/samples/${samples.samples[i]!.file}`;
  const cli = JSON.parse(
    execFileSync('node', ['bin/ghostlab.js', 'predict', '--model', 'public/weights/ghostnetv2-fmnist', '--input', file, '--json'], { encoding: 'utf8' }),
  ) as { top5: { index: number; label: string; p: number }[][] };
  const top = cli.top5[0]![0]!;
  expect(s.lastPrediction!.index).toBe(top.index);
  expect(s.lastPrediction!.label).toBe(top.label);
  expect(s.lastPrediction!.p).toBeCloseTo(top.p, 3);
  expectClean(problems);
});

test('?backend=webgl really runs on WebGL, and the URL keeps the view', async ({ page }) => {
  await openLab(page, '?backend=webgl&model=plainnet-fmnist&sample=3&layer=blocks.3.0.ghost2&channel=2');
  const s = await status(page);
  expect(s.backend).toBe('webgl');
  await expect(page.locator('[data-role="model"]')).toHaveValue('plainnet-fmnist');
  await expect(page.locator('[data-role="layer"]')).toHaveValue('blocks.3.0.ghost2');
  await page.reload();
  await page.waitForFunction(() => window.ghostlab?.ready === true);
  expect(new URL(page.url()).searchParams.get('layer')).toBe('blocks.3.0.ghost2');
  await expect(page.locator('[data-role="layer"]')).toHaveValue('blocks.3.0.ghost2');
});

test('every inspector canvas is drawn, and 50 layer switches leave the tensor count flat', async ({ page, problems }) => {
  await openLab(page, '?model=ghostnetv2-fmnist&backend=wasm');
  const blank = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLCanvasElement>('.lab-inspector canvas, [data-role="strip"] canvas')).filter((c) => {
      const ctx = c.getContext('2d');
      if (!ctx || !c.width || !c.height) return true;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let k = 3; k < d.length; k += 4) if (d[k]! > 0) return false;
      return true;
    }).length,
  );
  const total = await page.locator('.lab-inspector canvas').count();
  expect(total).toBeGreaterThan(20);
  expect(blank).toBe(0);
  // Attention views exist for a V2 Ghost module.
  await expect(page.locator('.lab-attn figure')).toHaveCount(6);

  const layers = await page.evaluate(() => window.ghostlabDebug.layers());
  expect(layers.length).toBeGreaterThan(10);
  const baseline = (await status(page)).numTensors;
  for (let k = 0; k < 50; k++) {
    await page.evaluate((name) => window.ghostlabDebug.openLayer(name), layers[k % layers.length]!);
    expect((await status(page)).numTensors).toBe(baseline);
  }
  for (let k = 0; k < 5; k++) await page.evaluate(() => window.ghostlabDebug.infer());
  expect((await status(page)).numTensors).toBe(baseline);
  expectClean(problems);
});

test('bad uploads get a clear message and the lab keeps working', async ({ page }) => {
  await openLab(page, '?backend=wasm');
  await page.getByRole('tab', { name: /upload/i }).click();
  const input = page.locator('[data-role="file"]');
  const error = page.locator('[data-role="upload-error"]');

  await input.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('this is not an image at all') });
  await expect(error).toBeVisible();
  const notImage = await error.textContent();
  expect(notImage!.length).toBeGreaterThan(10);

  await input.setInputFiles({ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) });
  await expect(error).toBeVisible();
  await expect(error).not.toHaveText(notImage!);

  await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: flatPng(12000, 12000) });
  await expect(error).toBeVisible({ timeout: 20_000 });
  await expect(error).toContainText(/12000|4096|large|big/i);

  // A good image still works afterwards.
  const s = await afterRun(page, () => input.setInputFiles({ name: 'ok.png', mimeType: 'image/png', buffer: flatPng(64, 48, 200) }));
  await expect(error).toBeHidden();
  expect(s.lastPrediction).not.toBeNull();
  expect(s.error).toBeNull();
});

test('losing the WebGL context falls back without a reload', async ({ page }) => {
  await openLab(page, '?backend=webgl');
  expect((await status(page)).backend).toBe('webgl');
  await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));
  expect(await page.evaluate(() => window.ghostlabDebug.loseContext())).toBe(true);
  await page.waitForFunction(() => window.ghostlab.backend !== 'webgl' && window.ghostlab.ready, null, { timeout: 30_000 });
  await expect(page.locator('[data-role="notices"] .notice', { hasText: /context was lost/ })).toBeVisible();
  // Same page (no reload), and it still predicts.
  expect(await page.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(42);
  const s = await afterRun(page, () => page.locator('[data-role="gallery"] button').nth(2).click());
  expect(s.lastPrediction).not.toBeNull();
});

test('drawing with the mouse gives a prediction', async ({ page }) => {
  await openLab(page, '?backend=wasm');
  await page.getByRole('tab', { name: /draw/i }).click();
  const pad = page.locator('[data-role="pad"] canvas');
  const box = (await pad.boundingBox())!;
  const s = await afterRun(page, async () => {
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.8, { steps: 12 });
    await page.mouse.up();
  });
  expect(s.lastPrediction).not.toBeNull();
});

test('in the chapter, hovering a term of the Ghost formulas lights up the maps it names', async ({ page, problems }) => {
  await open(page, '/ghostnet-v1/');
  const lab = page.locator('[data-lab]').first();
  await lab.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => window.ghostlab?.ready === true, null, { timeout: 45_000 });
  const outlined = (group: string) =>
    lab.locator(`.gv-cell[data-group="${group}"] canvas`).first().evaluate((c) => getComputedStyle(c).outlineStyle);
  expect(await outlined('intrinsic')).toBe('none');
  await page.locator('.katex .term-intrinsic').first().hover();
  await expect(lab).toHaveAttribute('data-term', 'intrinsic');
  expect(await outlined('intrinsic')).toBe('solid');
  expect(await outlined('ghost')).toBe('none');
  await page.locator('.katex .term-phi').first().hover();
  await expect(lab).toHaveAttribute('data-term', 'ghost');
  expect(await outlined('ghost')).toBe('solid');
  expectClean(problems);
});
