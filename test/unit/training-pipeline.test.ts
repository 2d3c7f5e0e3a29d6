/**
 * The CI smoke path, end to end, as the site's weights are made:
 *   /usr/bin/python3 training/train.py ID --smoke --out TMP     (a few steps on a slice)
 *   node bin/ghostlab.js convert TMP/model.pth --arch ID --out TMP/tfjs
 *   node bin/ghostlab.js eval --model TMP/tfjs --limit 500 --json
 * and PyTorch on the converted weights (training/from_tfjs.py --eval --limit 500) must count the
 * same correct images (at most one apart). Along the way: the conversion is lossless (every tensor
 * of model.pth comes back bit-exact), metrics.json's smoke accuracy is reproduced from the converted
 * weights, tfjs and PyTorch logits agree on the shipped samples, and a missing data directory
 * fails with a message naming the Debian package dataset-fashion-mnist.
 *
 * Skips (with a message) when /usr/bin/python3 has no torch or the data set is not installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { costReport, buildSpec, resolveConfig } from '../../src/model/index.js';
import { ROOT, runAsync, tempDir, type CliResult } from '../helpers/ghostlab.js';

const PYTHON = '/usr/bin/python3';
const TRAIN = join(ROOT, 'training/train.py');
const FROM_TFJS = join(ROOT, 'training/from_tfjs.py');
const DATA = '/usr/share/datasets/fashion-mnist';
const IDS = ['ghostnet-fmnist', 'ghostnetv2-fmnist'];
const LIMIT = 500;

function torchMissing(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} is absent`;
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PYTHON} cannot import torch/numpy (apt-get install python3-torch python3-numpy)`;
}
function dataMissing(): string | null {
  const all = ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'];
  const gone = all.filter((f) => !existsSync(join(DATA, `${f}.gz`)) && !existsSync(join(DATA, f)));
  return gone.length ? `${DATA} lacks ${gone.join(', ')} (apt-get install dataset-fashion-mnist)` : null;
}
const noTorch = torchMissing();
const skipPipeline = noTorch ?? dataMissing();
if (skipPipeline) console.warn(`training-pipeline: smoke path skipped: ${skipPipeline}`);

const run = (cmd: string, args: string[]) => runAsync(cmd, args, 110_000);
const ghostlab = (args: string[]) => run(process.execPath, [join(ROOT, 'bin/ghostlab.js'), ...args]);
const fromTfjs = (args: string[]) => run(PYTHON, [FROM_TFJS, ...args]);

function ok(r: CliResult, what: string): CliResult {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr.trim().split('\n').slice(-6).join('\n')}`);
  return r;
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe.skipIf(skipPipeline !== null)(`smoke path: train.py --smoke → ghostlab convert → ghostlab eval vs PyTorch${skipPipeline ? ` (skipped: ${skipPipeline})` : ''}`, () => {
  for (const id of IDS) {
    it(`${id}: eval --limit ${LIMIT} equals PyTorch's count on the same weights (±1 image)`, async () => {
      const t0 = performance.now();
      const tmp = tempDir(`ghostlab-smoke-${id}-`);
      temps.push(tmp);

      // 1. train (one torch thread: the machine has two cores and CI shares them)
      ok(await run(PYTHON, [TRAIN, id, '--smoke', '--out', tmp, '--threads', '1']), `train.py ${id} --smoke`);
      const pth = join(tmp, 'model.pth');
      expect(existsSync(pth)).toBe(true);
      const metrics = JSON.parse(readFileSync(join(tmp, 'metrics.json'), 'utf8'));
      expect(metrics.smoke).toBe(true);
      expect(metrics.model).toBe(id);
      const cost = costReport(buildSpec(resolveConfig(id)));
      expect(metrics.params).toBe(cost.total.params);
      expect(metrics.macs).toBe(cost.total.macs);
      const t1 = performance.now();

      // 2. convert, and check the conversion is lossless: PyTorch reads back every tensor bit-exactly
      const out = join(tmp, 'tfjs');
      ok(await ghostlab(['convert', pth, '--arch', id, '--out', out]), 'ghostlab convert');
      const back = JSON.parse(ok(await fromTfjs(['--model', out, '--against', pth, '--json']), 'from_tfjs.py --against').stdout).against;
      expect(back.missing).toEqual([]);
      expect(back.unexpected).toEqual([]);
      expect(back.misshaped).toEqual([]);
      expect(back.keys).toBeGreaterThan(0);
      expect(back.maxAbsDiff, `largest difference at ${back.maxAbsDiffKey}`).toBe(0);

      // 3. the same 500 test images through tfjs and through PyTorch
      const js = JSON.parse(ok(await ghostlab(['eval', '--model', out, '--limit', String(LIMIT), '--json']), 'ghostlab eval').stdout);
      const pt = JSON.parse(ok(await fromTfjs(['--model', out, '--eval', '--limit', String(LIMIT), '--json']), 'from_tfjs.py --eval').stdout);
      expect(js.total).toBe(LIMIT);
      expect(pt.total).toBe(LIMIT);
      expect(Math.abs(js.correct - pt.correct), `ghostlab eval ${js.correct}/${LIMIT} vs PyTorch ${pt.correct}/${LIMIT}`).toBeLessThanOrEqual(1);

      // 4. train.py's own smoke test accuracy (first test_images of the split) from the converted weights
      const n = metrics.test_images as number;
      const ptAll = JSON.parse(ok(await fromTfjs(['--model', out, '--eval', '--limit', String(n), '--json']), 'from_tfjs.py --eval').stdout);
      expect(ptAll.total).toBe(n);
      expect(Math.abs(ptAll.correct - Math.round(metrics.test_accuracy * n)), 'metrics.json test_accuracy vs converted weights').toBeLessThanOrEqual(1);

      // 5. logits on the shipped samples: tfjs vs PyTorch within 1e-4 (a smoke model is near chance,
      //    so this, not the accuracy, is the sharp check)
      const jp = JSON.parse(ok(await ghostlab(['predict', '--model', out, '--input', 'public/samples', '--json']), 'ghostlab predict').stdout);
      const pp = JSON.parse(ok(await fromTfjs(['--model', out, '--input', 'public/samples', '--json']), 'from_tfjs.py --input').stdout);
      expect(jp.logits).toHaveLength(pp.logits.length);
      let worst = 0;
      jp.logits.forEach((row: number[], i: number) => row.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - pp.logits[i][k])))));
      expect(worst).toBeLessThanOrEqual(1e-4);

      const t2 = performance.now();
      console.log(
        `${id}: smoke train ${((t1 - t0) / 1000).toFixed(1)} s, convert+checks ${((t2 - t1) / 1000).toFixed(1)} s; ` +
          `eval@${LIMIT} tfjs ${js.correct} / PyTorch ${pt.correct}; metrics.json ${metrics.test_accuracy} on ${n} = PyTorch ${ptAll.correct}/${n}; ` +
          `max |Δlogit| on samples ${worst.toExponential(2)}`,
      );
    }, 150_000);
  }
});

describe.skipIf(skipPipeline !== null)('training is reproducible', () => {
  // The retrain command promises the same model from the same seed; check it on the smoke path.
  it('two smoke trainings with the same seed give bit-identical weights and metrics', async () => {
    const runs = [tempDir('ghostlab-repro-a-'), tempDir('ghostlab-repro-b-')];
    temps.push(...runs);
    for (const dir of runs) ok(await run(PYTHON, [TRAIN, 'ghostnet-fmnist', '--smoke', '--out', dir, '--threads', '1']), 'train.py --smoke');
    const [a, b] = runs.map((d) => JSON.parse(readFileSync(join(d, 'metrics.json'), 'utf8')));
    const noTime = (h: { seconds?: number }[]) => h.map(({ seconds: _, ...rest }) => rest);
    expect(noTime(b.history)).toEqual(noTime(a.history));
    expect(b.test_accuracy).toBe(a.test_accuracy);
    const out = join(runs[0]!, 'tfjs');
    ok(await ghostlab(['convert', join(runs[0]!, 'model.pth'), '--arch', 'ghostnet-fmnist', '--out', out]), 'ghostlab convert');
    const back = JSON.parse(ok(await fromTfjs(['--model', out, '--against', join(runs[1]!, 'model.pth'), '--json']), 'from_tfjs.py --against').stdout).against;
    expect(back.maxAbsDiff).toBe(0);
  }, 150_000);
});

describe.skipIf(noTorch !== null)(`a missing data directory is reported clearly${noTorch ? ` (skipped: ${noTorch})` : ''}`, () => {
  it('train.py and from_tfjs.py --eval name the directory and dataset-fashion-mnist; ghostlab eval too', async () => {
    const tmp = tempDir('ghostlab-nodata-');
    temps.push(tmp);
    const missing = join(tmp, 'no-such-data');

    const train = await run(PYTHON, [TRAIN, 'ghostnet-fmnist', '--smoke', '--out', join(tmp, 'run'), '--data', missing, '--threads', '1']);
    expect(train.code).not.toBe(0);
    expect(train.stderr).toContain(missing);
    expect(train.stderr).toContain('dataset-fashion-mnist');
    expect(train.stderr).not.toMatch(/Traceback/);

    // any model dir will do: the data check must come first or at least fail cleanly
    const model = join(ROOT, 'public/weights/ghostnet-fmnist');
    const ev = await fromTfjs(['--model', model, '--eval', '--data', missing]);
    expect(ev.code).not.toBe(0);
    expect(ev.stderr).toContain(missing);
    expect(ev.stderr).toContain('dataset-fashion-mnist');
    expect(ev.stderr).not.toMatch(/Traceback/);

    const js = await ghostlab(['eval', '--model', model, '--data', missing]);
    expect(js.code).not.toBe(0);
    expect(js.stderr.trim().split('\n')).toHaveLength(1);
    expect(js.stderr).toContain(missing);
    expect(js.stderr).toContain('dataset-fashion-mnist');
  }, 60_000);
});
