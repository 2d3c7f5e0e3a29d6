/**
 * The weights the site ships (public/weights/<id>/): every model.json loads and fits its arch, the
 * sizes and MACs stay in budget, metrics.json (when present) is complete and agrees with our cost
 * model, the same weights give the same logits in PyTorch (training/from_tfjs.py) and in tfjs
 * (`ghostlab predict`) on the 300 shipped samples, `ghostlab eval` on the full test split reproduces
 * metrics.json's test accuracy, and ablation.json covers every grid cell.
 *
 * Nothing here hard-codes an accuracy: the expectations come from metrics.json and from PyTorch.
 * Parts that need files not shipped yet (metrics.json, grid dirs) skip with a message saying so.
 * GHOSTLAB_SKIP_FULL_EVAL=1 skips the three full 10,000-image evaluations (~45 s each on wasm);
 * GHOSTLAB_WEIGHTS=DIR checks another weights tree laid out like public/weights (a dry run), with
 * GHOSTLAB_RUNS=DIR in place of training/runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ARCH_IDS,
  buildSpec,
  checkModelJson,
  costReport,
  decodeWeights,
  ghostnetCost,
  MAX_SHARD_BYTES,
  paramEntries,
  resolveConfig,
  type ModelJson,
} from '../../src/model/index.js';
import { readIdx } from '../../tools/cli/eval.js';
import { readModelDir } from '../../tools/cli/fsio.js';
import { ROOT, runAsync, useWasm } from '../helpers/ghostlab.js';

const PYTHON = '/usr/bin/python3';
const FROM_TFJS = join(ROOT, 'training/from_tfjs.py');
const WEIGHTS = process.env.GHOSTLAB_WEIGHTS ?? join(ROOT, 'public/weights');
const RUNS = process.env.GHOSTLAB_RUNS ?? join(ROOT, 'training/runs');
const SAMPLES = join(ROOT, 'public/samples');
const DATA = '/usr/share/datasets/fashion-mnist';
const MAIN = ['ghostnet-fmnist', 'ghostnetv2-fmnist', 'plainnet-fmnist'];
const GRID = ARCH_IDS.filter((id) => /^ghostnet-fmnist-s\d+-d\d+$/.test(id));
const MB = 1e6; // decimal megabytes, as `ghostlab convert` reports them
// The three main models plus the 16 cells of the s/d grid (each under 1 MB).
const TOTAL_BUDGET = 20 * MB;
const MAIN_BUDGET = 3 * MB;
const MAX_MACS = 10e6;

const DIRS = existsSync(WEIGHTS)
  ? readdirSync(WEIGHTS).filter((d) => existsSync(join(WEIGHTS, d, 'model.json'))).sort()
  : [];

function torchMissing(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} is absent`;
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PYTHON} cannot import torch/numpy (apt-get install python3-torch python3-numpy)`;
}
const noTorch = torchMissing();
const noData = existsSync(join(DATA, 't10k-images-idx3-ubyte.gz')) || existsSync(join(DATA, 't10k-images-idx3-ubyte'))
  ? null
  : `${DATA} has no Fashion-MNIST test split (apt-get install dataset-fashion-mnist)`;
if (noTorch) console.warn(`shipped-models: PyTorch parity skipped: ${noTorch}`);
if (noData) console.warn(`shipped-models: full-test-split checks skipped: ${noData}`);

const metricsPath = (id: string) => join(WEIGHTS, id, 'metrics.json');
const hasMetrics = (id: string) => existsSync(metricsPath(id));
const pending = DIRS.filter((d) => !hasMetrics(d));
if (pending.length) console.warn(`shipped-models: no metrics.json yet in ${pending.join(', ')}: their metrics checks are skipped`);

function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function modelJson(id: string): ModelJson {
  return checkModelJson(readJson(join(WEIGHTS, id, 'model.json')));
}

/** Runs a command (see runAsync) and parses its JSON stdout. */
async function runJson(cmd: string, args: string[], what: string, timeoutMs = 280_000): Promise<any> {
  const r = await runAsync(cmd, args, timeoutMs);
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  try {
    return JSON.parse(r.stdout);
  } catch (e) {
    throw new Error(`${what} printed no JSON (${(e as Error).message}): ${r.stdout.slice(0, 200)}`);
  }
}

const py = (args: string[]) => runJson(PYTHON, [FROM_TFJS, ...args], `from_tfjs.py ${args.join(' ')}`);
const cliJson = (args: string[]) => runJson(process.execPath, [join(ROOT, 'bin/ghostlab.js'), ...args], `ghostlab ${args.join(' ')}`);

const argmax = (row: number[]) => row.reduce((best, v, i) => (v > row[best]! ? i : best), 0);
const dirBytes = (dir: string): number =>
  readdirSync(dir).reduce((a, f) => {
    const p = join(dir, f);
    const s = statSync(p);
    return a + (s.isDirectory() ? dirBytes(p) : s.size);
  }, 0);
const shardBytes = (id: string) =>
  modelJson(id).weightsManifest.flatMap((g) => g.paths).reduce((a, p) => a + statSync(join(WEIGHTS, id, p)).size, 0);

interface SampleIndex {
  classes: string[];
  samples: { file: string; label: number; index: number }[];
}
const samples = readJson<SampleIndex>(join(SAMPLES, 'index.json'));

beforeAll(useWasm);

describe('public/weights: manifests, sizes, MACs', () => {
  it('ships the three main models', () => {
    for (const id of MAIN) expect(DIRS, `public/weights/${id}/model.json`).toContain(id);
  });

  for (const id of DIRS) {
    it(`${id}: valid manifest that loads and fits its arch`, () => {
      const mj = modelJson(id);
      const meta = mj.ghostlab;
      expect(meta.arch, 'ghostlab.arch names the directory').toBe(id);
      expect(meta.formatVersion).toBe(1);
      expect(meta.layout).toBe('tfjs');
      // The stored config is exactly what architectures.json resolves to (no drift).
      expect(meta.config).toEqual(resolveConfig(id));
      const spec = buildSpec(resolveConfig(id));
      const entries = paramEntries(spec);

      // Shards: beside model.json, present, ≤ 4 MB, no stray .bin, sizes exactly as the manifest describes.
      const listed = mj.weightsManifest.flatMap((g) => g.paths);
      const onDisk = readdirSync(join(WEIGHTS, id)).filter((f) => f.endsWith('.bin')).sort();
      expect(onDisk).toEqual([...listed].sort());
      for (const p of listed) expect(statSync(join(WEIGHTS, id, p)).size).toBeLessThanOrEqual(MAX_SHARD_BYTES);
      const described = mj.weightsManifest.flatMap((g) => g.weights).reduce((a, e) => {
        const n = e.shape.reduce((x, y) => x * y, 1);
        const q = e.quantization?.dtype;
        return a + n * (q === 'uint8' ? 1 : q === 'float16' || q === 'uint16' ? 2 : 4);
      }, 0);
      expect(shardBytes(id)).toBe(described);

      // Every tensor of the arch, tfjs shapes, nothing else; finite; BN variances positive.
      const shards = mj.weightsManifest.map((g) => g.paths.map((p) => new Uint8Array(readFileSync(join(WEIGHTS, id, p)))));
      const ws = decodeWeights(mj.weightsManifest, shards);
      expect([...ws.keys()].sort()).toEqual(entries.map((e) => e.name).sort());
      for (const e of entries) {
        const w = ws.get(e.name)!;
        expect(w.shape, e.name).toEqual(e.tfShape);
        expect(w.data.every(Number.isFinite), `${e.name} is finite`).toBe(true);
        if (e.name.endsWith('running_var')) expect(w.data.every((v) => v > 0), `${e.name} > 0`).toBe(true);
      }

      // It loads the way the CLI loads it, and the parameter counts agree.
      const model = readModelDir(join(WEIGHTS, id));
      try {
        expect(model.numParams).toBe(costReport(spec).total.params);
        expect(meta.params).toBe(model.numParams);
      } finally {
        model.dispose();
      }
    });

    it(`${id}: ≤ ${MAX_MACS / 1e6} M MACs by our cost model`, () => {
      const macs = ghostnetCost(id).total.macs;
      expect(macs).toBeGreaterThan(0);
      expect(macs).toBeLessThanOrEqual(MAX_MACS);
    });
  }

  it(`everything in public/weights ≤ ${TOTAL_BUDGET / MB} MB`, () => {
    const total = dirBytes(WEIGHTS);
    console.log(`public/weights: ${(total / MB).toFixed(3)} MB in ${DIRS.length} model dirs`);
    expect(total).toBeLessThanOrEqual(TOTAL_BUDGET);
  });

  it(`the three main models' shards ≤ ${MAIN_BUDGET / MB} MB together`, () => {
    const total = MAIN.reduce((a, id) => a + shardBytes(id), 0);
    console.log(`main models' shards: ${(total / MB).toFixed(3)} MB`);
    expect(total).toBeLessThanOrEqual(MAIN_BUDGET);
  });
});

describe('metrics.json', () => {
  for (const id of DIRS) {
    it.skipIf(!hasMetrics(id))(`${id}: complete, sane, and agrees with our cost model${hasMetrics(id) ? '' : ' (skipped: no metrics.json yet)'}`, () => {
      const m = readJson(metricsPath(id));
      const config = resolveConfig(id);
      const spec = buildSpec(config);
      const cost = costReport(spec);
      const K = config.numClasses;

      expect(m.smoke, 'a smoke run (train.py --smoke) must never be shipped').toBe(false);
      expect(m.model).toBe(id);
      for (const k of ['test_accuracy', 'per_class_accuracy', 'confusion_matrix', 'params', 'macs', 'epochs', 'seed', 'training_seconds', 'command']) {
        expect(m, `metrics.json has ${k}`).toHaveProperty(k);
      }
      // The run describes this arch.
      expect(m.input).toEqual(config.input);
      expect({ version: m.version, plain: m.plain, ratio: m.ratio, dwSize: m.dwSize, width: m.width }).toEqual({
        version: config.version, plain: config.plain, ratio: config.ratio, dwSize: config.dwSize, width: config.width,
      });
      if (m.classes) expect(m.classes).toEqual(config.labels);

      // Costs: PyTorch's count_params / forward-hook MACs equal our analytic cost model, and
      // state_floats is every float the manifest stores (params + BN running statistics).
      expect(m.params, 'params (PyTorch) vs costReport').toBe(cost.total.params);
      expect(m.macs, 'MACs (PyTorch hooks) vs costReport').toBe(cost.total.macs);
      if (m.state_floats !== undefined) {
        expect(m.state_floats).toBe(paramEntries(spec).reduce((a, e) => a + e.tfShape.reduce((x, y) => x * y, 1), 0));
      }

      // Training record.
      expect(Number.isInteger(m.epochs) && m.epochs >= 1).toBe(true);
      expect(Number.isInteger(m.seed)).toBe(true);
      expect(m.training_seconds).toBeGreaterThan(0);
      expect(typeof m.command).toBe('string');
      expect(m.command).toMatch(/train\.py/);
      expect(m.command).toContain(id);
      if (m.recipe) expect(m.epochs).toBe(m.recipe.epochs);
      if (Array.isArray(m.history)) expect(m.history).toHaveLength(m.epochs);
      const recipes = readJson(join(ROOT, 'training/recipes.json'));
      if (m.recipe_name && recipes.models?.[id]) expect(m.recipe_name, 'trained with its recorded recipe').toBe(recipes.models[id]);

      // Accuracy: the full test split, a 10×10 confusion matrix whose rows hold each class's 1,000
      // images, whose diagonal is the per-class accuracy and whose trace is the test accuracy.
      expect(m.test_images ?? 10000).toBe(10000);
      const cm: number[][] = m.confusion_matrix;
      expect(cm).toHaveLength(K);
      for (const row of cm) {
        expect(row).toHaveLength(K);
        expect(row.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
        expect(row.reduce((a, b) => a + b, 0)).toBe(1000);
      }
      const pc: number[] = Array.isArray(m.per_class_accuracy)
        ? m.per_class_accuracy
        : (m.classes ?? config.labels).map((c: string) => m.per_class_accuracy[c]);
      expect(pc).toHaveLength(K);
      pc.forEach((a, k) => {
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
        expect(Math.abs(a - cm[k]![k]! / 1000), `per_class_accuracy[${k}] vs confusion diagonal`).toBeLessThanOrEqual(5e-6);
      });
      const trace = cm.reduce((a, row, k) => a + row[k]!, 0);
      expect(m.test_accuracy).toBeGreaterThan(0);
      expect(m.test_accuracy).toBeLessThanOrEqual(1);
      expect(Math.abs(m.test_accuracy - trace / 10000), 'test_accuracy vs confusion trace').toBeLessThanOrEqual(5e-6);
      if (m.val_accuracy != null) expect(m.val_accuracy).toBeGreaterThan(0);
    });
  }
});

describe('public/samples', () => {
  it('index.json: 300 test images, 30 per class, files present', () => {
    expect(samples.classes).toEqual(resolveConfig('ghostnet-fmnist').labels);
    expect(samples.samples).toHaveLength(300);
    const perClass = new Array<number>(10).fill(0);
    for (const s of samples.samples) {
      expect(existsSync(join(SAMPLES, s.file)), s.file).toBe(true);
      perClass[s.label]!++;
    }
    expect(perClass).toEqual(new Array(10).fill(30));
    expect(new Set(samples.samples.map((s) => s.index)).size).toBe(300);
  });

  it.skipIf(noData !== null)(`each PNG is the test image its index names, with its label${noData ? ` (skipped: ${noData})` : ''}`, () => {
    const stem = (f: string) => join(DATA, existsSync(join(DATA, `${f}.gz`)) ? `${f}.gz` : f);
    const images = readIdx(stem('t10k-images-idx3-ubyte'), 0x803, 'images');
    const labels = readIdx(stem('t10k-labels-idx1-ubyte'), 0x801, 'labels');
    for (const s of samples.samples) {
      expect(labels.data[s.index], `${s.file} label`).toBe(s.label);
      const png = PNG.sync.read(readFileSync(join(SAMPLES, s.file)));
      expect([png.width, png.height]).toEqual([28, 28]);
      const grey = Uint8Array.from({ length: 784 }, (_, i) => png.data[4 * i]!);
      expect(Buffer.from(grey).equals(Buffer.from(images.data.subarray(s.index * 784, (s.index + 1) * 784))), `${s.file} pixels`).toBe(true);
    }
  });
});

describe.skipIf(noTorch !== null)(`PyTorch (training/from_tfjs.py) vs tfjs (ghostlab predict) on the 300 samples${noTorch ? ` (skipped: ${noTorch})` : ''}`, () => {
  for (const id of DIRS) {
    it(`${id}: same argmax for every sample, logits within 1e-4, same sample accuracy`, async () => {
      const dir = join(WEIGHTS, id);
      const js = await cliJson(['predict', '--model', dir, '--input', 'public/samples', '--json']);
      const pt = await py(['--model', dir, '--input', 'public/samples', '--json']);
      const byName = new Map(samples.samples.map((s) => [s.file, s.label]));
      const base = (f: string) => f.slice(f.lastIndexOf('/') + 1);
      expect(js.files.map(base)).toEqual(pt.files.map(base));
      expect(js.files).toHaveLength(300);
      let worst = 0;
      let correctJs = 0;
      let correctPt = 0;
      js.files.forEach((f: string, i: number) => {
        const a: number[] = js.logits[i];
        const b: number[] = pt.logits[i];
        expect(a).toHaveLength(b.length);
        for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k]! - b[k]!));
        expect(argmax(a), `${base(f)}: argmax tfjs vs PyTorch`).toBe(argmax(b));
        const y = byName.get(base(f));
        expect(y, `${base(f)} is in index.json`).toBeDefined();
        if (argmax(a) === y) correctJs++;
        if (argmax(b) === y) correctPt++;
      });
      console.log(`${id}: samples accuracy tfjs ${correctJs}/300, PyTorch ${correctPt}/300; max |Δlogit| ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-4);
      expect(correctJs).toBe(correctPt);
    });
  }
});

describe.skipIf(noTorch !== null)(`the shipped weights are the trained checkpoint (training/runs/<id>, where present)${noTorch ? ` (skipped: ${noTorch})` : ''}`, () => {
  for (const id of DIRS) {
    const pth = join(RUNS, id, 'model.pth');
    // model.pth is git-ignored: this runs on the machine that trained the model, not in a fresh clone.
    const why = !existsSync(pth) ? `no ${pth} on this machine` : !hasMetrics(id) ? 'no metrics.json shipped yet' : null;
    it.skipIf(why !== null)(`${id}: every tensor equals model.pth (float32 bit-exact, float16 within rounding) and metrics.json is the run's${why ? ` (skipped: ${why})` : ''}`, async () => {
      const r = (await py(['--model', join(WEIGHTS, id), '--against', pth, '--json'])).against;
      expect(r.missing).toEqual([]);
      expect(r.unexpected).toEqual([]);
      expect(r.misshaped).toEqual([]);
      const half = modelJson(id).weightsManifest.some((g) => g.weights.some((e) => e.quantization));
      if (half) expect(r.maxRelDiff, `float16 rounding, worst at ${r.maxAbsDiffKey}`).toBeLessThanOrEqual(2 ** -11 * (1 + 1e-6));
      else expect(r.maxAbsDiff, `worst at ${r.maxAbsDiffKey}`).toBe(0);
      const runMetrics = join(RUNS, id, 'metrics.json');
      if (existsSync(runMetrics)) expect(readJson(metricsPath(id)), `public/weights/${id}/metrics.json is ${runMetrics}`).toEqual(readJson(runMetrics));
    });
  }
});

describe('the full test split (10,000 images) reproduces metrics.json', () => {
  const skipFull = process.env.GHOSTLAB_SKIP_FULL_EVAL === '1';
  for (const id of MAIN) {
    const why = skipFull ? 'GHOSTLAB_SKIP_FULL_EVAL=1' : noData ?? (hasMetrics(id) ? null : `no public/weights/${id}/metrics.json yet`);
    it.skipIf(why !== null)(`${id}: ghostlab eval (and PyTorch on the same weights) within 0.1 pp of test_accuracy${why ? ` (skipped: ${why})` : ''}`, async () => {
      const m = readJson(metricsPath(id));
      const dir = join(WEIGHTS, id);
      const js = await cliJson(['eval', '--model', dir, '--json']);
      expect(js.total).toBe(10000);
      let line = `${id}: metrics.json ${(100 * m.test_accuracy).toFixed(2)}%, ghostlab eval ${(100 * js.accuracy).toFixed(2)}%`;
      if (!noTorch) {
        const pt = await py(['--model', dir, '--eval', '--json']);
        expect(pt.total).toBe(10000);
        line += `, PyTorch (from_tfjs) ${(100 * pt.accuracy).toFixed(2)}%`;
        expect(Math.abs(pt.accuracy - m.test_accuracy), 'PyTorch on the shipped weights vs metrics.json').toBeLessThanOrEqual(0.001);
        expect(Math.abs(js.accuracy - pt.accuracy), 'ghostlab eval vs PyTorch, same weights').toBeLessThanOrEqual(0.001);
      }
      console.log(line);
      expect(Math.abs(js.accuracy - m.test_accuracy), 'ghostlab eval vs metrics.json').toBeLessThanOrEqual(0.001);
      // per-class counts agree with the confusion matrix's diagonal within 0.1 pp of 1,000 images
      js.perClass.forEach((c: { correct: number; total: number }, k: number) => {
        expect(c.total).toBe(1000);
        expect(Math.abs(c.correct - m.confusion_matrix[k][k])).toBeLessThanOrEqual(10);
      });
    }, 300_000);
  }
});

describe('ablation.json (the s/d grid)', () => {
  const ablation = readJson(join(WEIGHTS, 'ablation.json'));
  const rows: any[] = ablation.rows ?? [];

  it('lists every grid cell once, with s, d, params, MACs and state floats from our cost model', () => {
    expect(GRID.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.model).sort()).toEqual([...GRID].sort());
    for (const r of rows) {
      const config = resolveConfig(r.model);
      const spec = buildSpec(config);
      expect([r.s, r.d], r.model).toEqual([config.ratio, config.dwSize]);
      expect(r.params, `${r.model} params`).toBe(costReport(spec).total.params);
      expect(r.macs, `${r.model} MACs`).toBe(costReport(spec).total.macs);
      expect(r.stateFloats, `${r.model} stateFloats`).toBe(paramEntries(spec).reduce((a, e) => a + e.tfShape.reduce((x, y) => x * y, 1), 0));
      for (const k of ['testAccuracy', 'valAccuracy', 'epochs', 'trainingSeconds']) expect(r, `${r.model}.${k}`).toHaveProperty(k);
    }
  });

  for (const id of GRID) {
    const row = rows.find((r) => r.model === id);
    const trained = (row && row.testAccuracy != null) || hasMetrics(id);
    it.skipIf(!trained)(`${id}: its dir ships model.json + metrics.json and the row repeats its metrics${trained ? '' : ' (skipped: cell not trained yet)'}`, () => {
      expect(row, `${id} row`).toBeDefined();
      expect(existsSync(join(WEIGHTS, id, 'model.json')), `public/weights/${id}/model.json`).toBe(true);
      expect(existsSync(metricsPath(id)), `public/weights/${id}/metrics.json`).toBe(true);
      const m = readJson(metricsPath(id));
      expect(m.smoke).toBe(false);
      expect(row.testAccuracy, 'ablation.json is stale: rerun training/make_ablation.py').toBe(m.test_accuracy);
      expect(row.valAccuracy).toBe(m.val_accuracy);
      expect(row.epochs).toBe(m.epochs);
      expect(row.trainingSeconds).toBe(m.training_seconds);
      expect(row.params).toBe(m.params);
      expect(row.macs).toBe(m.macs);
      if (ablation.recipe && m.recipe) expect(ablation.recipe).toEqual({ name: m.recipe_name, ...m.recipe });
    });
  }
});
