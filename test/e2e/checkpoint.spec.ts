/**
 * "Your checkpoint" in the lab (issue #11): an ImageNet GhostNet checkpoint written by the official
 * PyTorch code (training/make_reference.py: our own seeded weights, official key names, and the
 * same weights as timm's train.py saves them) runs in Chromium on WebAssembly at 224×224 and gives
 * PyTorch's logits for the same .npy input; every bad file gets the library's report while the
 * previous model keeps answering. The files are generated into a temporary folder at test time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { readCheckpoint } from '../../src/model/checkpoint';
import { parseNpy } from '../../src/model/npy';
import { writeMaliciousCheckpoint, writeSafetensors } from '../helpers/checkpoint-writers';
import { expect, expectClean, open, test } from './fixtures';
import { serveSite } from './static-server';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(process.cwd(), 'training/make_reference.py');

function torchMissing(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} is absent`;
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PYTHON} has no torch/numpy (apt-get install python3-torch python3-numpy)`;
}
const why = torchMissing();

interface Status {
  modelId: string | null;
  ready: boolean;
  lastLogits: number[] | null;
  lastPrediction: { index: number } | null;
}
const status = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { ghostlab: Status }).ghostlab }));
const waitFor = (page: Page, id: string) =>
  page.waitForFunction((want) => {
    const g = (window as unknown as { ghostlab: Status }).ghostlab;
    return g?.modelId === want && g.ready;
  }, id, { timeout: 120_000 });

let dir = '';
const ref: Record<'v1' | 'v2', { dir: string; logits: Float32Array }> = {} as never;

test.describe('your own ImageNet checkpoint in the lab', () => {
  test.skip(why !== null, `needs PyTorch: ${why}`);

  test.beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ghostlab-byo-'));
    for (const [key, arch] of [['v1', 'ghostnet_100'], ['v2', 'ghostnetv2_100']] as const) {
      const out = join(dir, key);
      const r = spawnSync(PYTHON, [SCRIPT, '--arch', arch, '--out', out, '--seed', '5', '--batch', '1'], { encoding: 'utf8', timeout: 300_000 });
      expect(r.status, r.stderr).toBe(0);
      ref[key] = { dir: out, logits: parseNpy(new Uint8Array(readFileSync(join(out, 'logits.npy')))).data };
    }
  });
  test.afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until the lab's logits (for the .npy input) are within `tol` of PyTorch's. */
  async function expectLogits(page: Page, want: Float32Array, tol = 1e-3) {
    await expect
      .poll(async () => {
        const s = await status(page);
        if (!s.lastLogits || s.lastLogits.length !== want.length) return Infinity;
        return Math.max(...s.lastLogits.map((v, i) => Math.abs(v - want[i]!)));
      }, { timeout: 120_000 })
      .toBeLessThanOrEqual(tol);
  }

  test('a V1 1.0× .pth (official, then timm names) and a V2 1.0× .safetensors give PyTorch’s logits on wasm', async ({ page, problems }) => {
    test.setTimeout(400_000);
    await open(page, '/lab/?backend=wasm');
    await page.waitForFunction(() => (window as unknown as { ghostlab: Status }).ghostlab?.ready === true, null, { timeout: 60_000 });
    const baseline = (await page.evaluate(() => (window as unknown as { ghostlab: { numTensors: number } }).ghostlab.numTensors));
    const checkpoint = page.locator('input[type=file][data-role="checkpoint"]');
    const image = page.locator('input[type=file][data-role="file"]');

    await checkpoint.setInputFiles(join(ref.v1.dir, 'model.pth'));
    await waitFor(page, 'model.pth (ghostnet_100)');
    await expect(page.locator('[data-role="checkpoint-status"]')).toContainText(/ghostnet_100, detected/);
    await expect(page.locator('[data-role="upload-hint"]')).toContainText('cropped to the centre 224×224');
    await image.setInputFiles(join(ref.v1.dir, 'input.npy'));
    await expectLogits(page, ref.v1.logits);
    // ImageNet's 1000 classes: the top 5 and one row for the rest.
    await expect(page.locator('[data-role="probs"] li')).toHaveCount(6);

    await checkpoint.setInputFiles(join(ref.v1.dir, 'model-timm.pth'));
    await waitFor(page, 'model-timm.pth (ghostnet_100)');
    await expectLogits(page, ref.v1.logits);

    await checkpoint.setInputFiles(join(ref.v2.dir, 'model.safetensors'));
    await waitFor(page, 'model.safetensors (ghostnetv2_100)');
    await image.setInputFiles(join(ref.v2.dir, 'input.npy'));
    await expectLogits(page, ref.v2.logits);
    expect((await status(page)).lastPrediction?.index).toBe(ref.v2.logits.indexOf(Math.max(...ref.v2.logits)));

    // Back to a shipped model: a .npy goes in as is, so a 224×224 one is refused by a 28×28 model
    // with its shapes named; a gallery sample then runs. The URL never named the checkpoint.
    await page.locator('[data-role="model"]').selectOption('ghostnet-fmnist');
    await expect(page.locator('[data-role="notices"] .error')).toContainText(/\(1, 3, 224, 224\) but ghostnet-fmnist takes \(1, 1, 28, 28\)/);
    await page.locator('[data-tab="gallery"]').click();
    await page.locator('[data-role="gallery"] button').nth(2).click();
    await waitFor(page, 'ghostnet-fmnist');
    expect((await status(page)).lastLogits).toHaveLength(10);
    // The checkpoints' tensors are all released: the count is back where the shipped model started.
    await page.locator('[data-role="gallery"] button').nth(0).click();
    await expect.poll(async () => (await page.evaluate(() => (window as unknown as { ghostlab: { numTensors: number } }).ghostlab.numTensors))).toBe(baseline);
    expect(new URL(page.url()).searchParams.get('model')).toBeNull();
    expectClean(problems);
  });

  test('each bad checkpoint gives the library’s report and the previous model keeps predicting', async ({ page, problems }) => {
    test.setTimeout(300_000);
    await open(page, '/lab/?backend=wasm&model=ghostnetv2-fmnist');
    await waitFor(page, 'ghostnetv2-fmnist');
    const good = readCheckpoint(new Uint8Array(readFileSync(join(ref.v1.dir, 'model.safetensors'))), 'model.safetensors');
    const sd = Object.fromEntries([...good.tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data }]));
    const edited = (fn: (d: typeof sd) => void) => {
      const copy = { ...sd };
      fn(copy);
      return Buffer.from(writeSafetensors(copy));
    };
    const whole = readFileSync(join(ref.v1.dir, 'model.pth'));
    const cases: [name: string, buffer: Buffer, report: RegExp][] = [
      ['notes.pth', Buffer.from('just some text, not weights\n'), /notes\.pth is neither a PyTorch checkpoint \(zip\) nor a safetensors file/],
      ['cut.pth', whole.subarray(0, whole.length >> 1), /cut\.pth/],
      ['evil.pth', Buffer.from(writeMaliciousCheckpoint()), /os\.system/],
      ['resnet.safetensors', Buffer.from(writeSafetensors({ 'conv1.weight': { shape: [64, 3, 7, 7], data: new Float32Array(64 * 147) }, 'fc.bias': { shape: [1000], data: new Float32Array(1000) } })),
        /does not match .*missing .*conv_stem\.weight.*unexpected \(conv1\.weight, fc\.bias\)/s],
      ['edited.safetensors', edited((d) => {
        delete d['blocks.6.0.ghost2.primary_conv.1.running_var'];
        d['blocks.0.0.extra.weight'] = { shape: [2], data: new Float32Array(2) };
        d['conv_head.weight'] = { shape: [1280, 961, 1, 1], data: new Float32Array(1280 * 961) };
      }), /does not match ghostnet_100.*1 missing \(blocks\.6\.0\.ghost2\.primary_conv\.1\.running_var\).*1 unexpected \(blocks\.0\.0\.extra\.weight\).*conv_head\.weight: expected \[1280, 960, 1, 1\], got \[1280, 961, 1, 1\]/s],
    ];
    const report = page.locator('[data-role="checkpoint-error"]');
    for (const [name, buffer, pattern] of cases) {
      await page.locator('input[type=file][data-role="checkpoint"]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
      await expect(report, name).toBeVisible({ timeout: 60_000 });
      await expect(report, name).toContainText(pattern);
      await expect(report, name).toContainText('ghostnetv2-fmnist');
      const before = await status(page);
      expect(before.modelId, name).toBe('ghostnetv2-fmnist');
      // The previous model still predicts: another sample goes through it.
      const logits = JSON.stringify(before.lastLogits);
      await page.locator('[data-role="gallery"] button').nth(cases.findIndex((c) => c[0] === name) + 1).click();
      await expect.poll(async () => JSON.stringify((await status(page)).lastLogits), { timeout: 30_000 }).not.toBe(logits);
      expect((await status(page)).lastLogits, name).toHaveLength(10);
    }
    expectClean(problems);
  });

  test('in Chinese on a phone: the report and the ImageNet prediction fit the screen, and axe finds nothing', async ({ page, problems }) => {
    test.setTimeout(300_000);
    await page.setViewportSize({ width: 390, height: 844 });
    await open(page, '/zh/lab/?backend=wasm');
    await waitFor(page, 'ghostnet-fmnist');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const axe = async () => (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations.map((v) => v.id);
    const checkpoint = page.locator('input[type=file][data-role="checkpoint"]');
    const good = readCheckpoint(new Uint8Array(readFileSync(join(ref.v1.dir, 'model.safetensors'))), 'model.safetensors');
    // Every key of V1 mis-named: the longest report the lab shows.
    const renamed = Object.fromEntries([...good.tensors].map(([k, t]) => [`features.backbone.${k}`, { shape: t.shape, data: t.data }]));
    await checkpoint.setInputFiles({ name: 'renamed.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(writeSafetensors(renamed)) });
    const report = page.locator('[data-role="checkpoint-error"]');
    await expect(report).toContainText(/无法使用 renamed\.safetensors：.*missing.*。实验室继续运行 ghostnet-fmnist。/s, { timeout: 60_000 });
    // The message lists a few keys of each kind; the disclosure lists every one.
    const keys = page.locator('[data-role="checkpoint-keys"]');
    await keys.locator('summary').click();
    await expect(keys.locator('summary')).toHaveText(`全部 ${2 * good.tensors.size} 个不匹配的键`);
    await expect(keys.locator('pre')).toContainText('unexpected  features.backbone.conv_stem.weight [16, 3, 3, 3]');
    await expect(keys.locator('pre')).toContainText('missing     conv_stem.weight [8, 3, 3, 3]');
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await axe()).toEqual([]);

    await checkpoint.setInputFiles(join(ref.v1.dir, 'model.safetensors'));
    await waitFor(page, 'model.safetensors (ghostnet_100)');
    await expect(report).toBeHidden();
    await expect(keys).toBeHidden();
    await expect(page.locator('[data-role="checkpoint-status"]')).toContainText('根据张量形状识别');
    await expect(page.locator('[data-role="probs"] li').last()).toContainText('其余 995 类');
    await page.waitForTimeout(500);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await axe()).toEqual([]);
    expectClean(problems);
  });

  test('the converted weights are kept for a reload until forgotten; "architecture only" builds an untrained network', async ({ page, problems }) => {
    test.setTimeout(300_000);
    await open(page, '/lab/?backend=wasm');
    await waitFor(page, 'ghostnet-fmnist');
    const saved = page.locator('[data-role="saved"]');
    await expect(saved).toBeHidden();
    await page.locator('input[type=file][data-role="checkpoint"]').setInputFiles(join(ref.v1.dir, 'model.safetensors'));
    await waitFor(page, 'model.safetensors (ghostnet_100)');
    await expect(saved).toBeVisible();
    await expect(saved).toContainText('model.safetensors (ghostnet_100');

    // A reload starts from the shipped model; the kept copy runs without the file, with the same logits.
    await page.reload();
    await waitFor(page, 'ghostnet-fmnist');
    await expect(saved).toBeVisible();
    await page.locator('[data-role="use-saved"]').click();
    await waitFor(page, 'model.safetensors (ghostnet_100)');
    await expect(page.locator('[data-role="checkpoint-status"]')).toContainText('kept in this browser');
    await page.locator('input[type=file][data-role="file"]').setInputFiles(join(ref.v1.dir, 'input.npy'));
    await expectLogits(page, ref.v1.logits);

    await page.locator('[data-role="forget"]').click();
    await expect(saved).toBeHidden();
    await expect(page.locator('[data-role="checkpoint-status"]')).toContainText('forgotten');
    await page.reload();
    await waitFor(page, 'ghostnet-fmnist');
    expect(await page.evaluate(() => new Promise((resolve) => {
      const req = indexedDB.open('ghostlab-checkpoints');
      req.onsuccess = () => {
        const get = req.result.transaction('converted').objectStore('converted').count();
        get.onsuccess = () => resolve(get.result);
      };
    }))).toBe(0);
    await expect(saved).toBeHidden();

    // No checkpoint at hand: any width, random BatchNorm-calibrated weights, said to be untrained.
    await page.locator('[data-role="checkpoint-arch"]').selectOption('ghostnetv2_130');
    await page.locator('[data-role="untrained"]').click();
    await waitFor(page, 'ghostnetv2_130 (untrained)');
    await expect(page.locator('[data-role="checkpoint-status"]')).toContainText(/ghostnetv2_130 with random, BatchNorm-calibrated weights: untrained/);
    await expect(page.locator('[data-role="model-info"]')).toContainText('ghostnetv2_130 (untrained)');
    const logits = (await status(page)).lastLogits!;
    expect(logits).toHaveLength(1000);
    expect(logits.every(Number.isFinite)).toBe(true);
    expectClean(problems);
  });
});

test('the checkpoint worker runs under the site\'s Content-Security-Policy, dropped onto the lab', async ({ page, problems }) => {
  test.setTimeout(180_000);
  const site = await serveSite(join(process.cwd(), process.env.ASTRO_OUT_DIR ?? 'dist'), join(process.cwd(), 'public', '_headers'));
  try {
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content.Security.Policy/i.test(msg.text())) violations.push(msg.text());
    });
    await page.goto(`${site.url}/lab/?backend=wasm`);
    await waitFor(page, 'ghostnet-fmnist');
    // A V1 0.5× state_dict with small made-up values: no PyTorch needed for this one. (The model
    // library reads its JSON tables with a plain import, which Playwright's loader refuses: tsx writes it.)
    const file = join(mkdtempSync(join(tmpdir(), 'ghostlab-half-')), 'half.safetensors');
    const script = `
      import { writeFileSync } from 'node:fs';
      import { buildSpec, paramEntries, resolveConfig } from './src/model/index.ts';
      import { writeSafetensors } from './test/helpers/checkpoint-writers.ts';
      const sd = Object.fromEntries(paramEntries(buildSpec(resolveConfig('ghostnet_050'))).map((e, k) => {
        const n = e.ptShape.reduce((a, b) => a * b, 1);
        return [e.name, { shape: e.ptShape, data: Float32Array.from({ length: n }, (_, i) => (e.name.endsWith('running_var') ? 1 : Math.sin(k + i) * 0.01)) }];
      }));
      writeFileSync(${JSON.stringify(file)}, writeSafetensors(sd));`;
    const r = spawnSync('npx', ['tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const bytes = [...readFileSync(file)];
    rmSync(join(file, '..'), { recursive: true, force: true });
    // Dropped, as a reader drags a file from the desktop onto the drop zone.
    await page.evaluate((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'half.safetensors'));
      const zone = document.querySelector('[data-role="checkpoint-drop"]')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bytes);
    await waitFor(page, 'half.safetensors (ghostnet_050)');
    expect((await status(page)).lastLogits).toHaveLength(1000);
    expect(violations).toEqual([]);
    // (served from its own port, so the fixture's same-origin check does not apply here)
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.requests.filter((u) => !u.startsWith(site.url) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
  } finally {
    await site.close();
  }
});
