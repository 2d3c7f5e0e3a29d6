/**
 * Every shipped cell of the s/d grid, evaluated by us on test images we pick ourselves (a seeded
 * random 2,000 of the 10,000, not the first ones), agrees with the accuracy its metrics.json claims
 * within 1.5 percentage points: the numbers the grid chart shows are the models' own.
 */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCH_IDS, preprocessGray } from '../../src/model/index.js';
import { DEFAULT_DATA, readIdx } from '../../tools/cli/eval.js';
import { readModelDir } from '../../tools/cli/fsio.js';
import { ROOT, useWasm } from '../helpers/ghostlab.js';

const WEIGHTS = join(ROOT, 'public', 'weights');
const GRID = ARCH_IDS.filter((id) => /^ghostnet-fmnist-s\d+-d\d+$/.test(id));
const shipped = GRID.filter((id) => existsSync(join(WEIGHTS, id, 'model.json')) && existsSync(join(WEIGHTS, id, 'metrics.json')));
const data = existsSync(join(DEFAULT_DATA, 't10k-images-idx3-ubyte.gz')) ? DEFAULT_DATA : null;
const PICK = 2000;

/** A fixed, seeded choice of test images (mulberry32, then a partial Fisher–Yates shuffle). */
function pick(n: number, k: number, seed: number): number[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (n - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, k);
}

beforeAll(useWasm);

describe.skipIf(!data)('s/d grid: our own evaluation of every shipped cell', () => {
  it('ships all 16 cells of s ∈ {2,3,4,5} × d ∈ {1,3,5,7}', () => {
    const missing = GRID.filter((id) => !shipped.includes(id));
    expect(GRID).toHaveLength(16);
    expect(missing, 'cells without weights or metrics').toEqual([]);
  });

  for (const id of shipped) {
    it(`${id}: accuracy on ${PICK} test images we pick is within 1.5 pp of metrics.json`, async () => {
      const images = readIdx(join(data!, 't10k-images-idx3-ubyte.gz'), 0x803, 'images');
      const labels = readIdx(join(data!, 't10k-labels-idx1-ubyte.gz'), 0x801, 'labels');
      const [count, rows, cols] = images.dims as [number, number, number];
      const chosen = pick(count, PICK, 20261130);
      const claimed = JSON.parse(readFileSync(join(WEIGHTS, id, 'metrics.json'), 'utf8')).test_accuracy as number;
      const model = readModelDir(join(WEIGHTS, id));
      try {
        const [H, W, C] = model.inputShape;
        let correct = 0;
        for (let start = 0; start < chosen.length; start += 250) {
          const part = chosen.slice(start, start + 250);
          const x = new Float32Array(part.length * H * W * C);
          part.forEach((img, i) => x.set(preprocessGray(images.data.subarray(img * rows * cols, (img + 1) * rows * cols), cols, rows, model.config.preprocess, model.inputShape), i * H * W * C));
          const pred = tf.tidy(() => tf.argMax(model.logits(tf.tensor4d(x, [part.length, H, W, C])), 1));
          const p = await pred.data();
          // The wasm read-back resolves at once (a microtask): give the event loop a turn, or the
          // whole file runs as one block and Vitest's 60 s link to this worker times out.
          await new Promise((resolve) => setImmediate(resolve));
          pred.dispose();
          part.forEach((img, i) => (correct += p[i] === labels.data[img] ? 1 : 0));
        }
        const ours = correct / chosen.length;
        console.log(`${id}: metrics.json ${(claimed * 100).toFixed(2)} %, ours on ${PICK} picked images ${(ours * 100).toFixed(2)} %`);
        expect(Math.abs(ours - claimed)).toBeLessThanOrEqual(0.015);
      } finally {
        model.dispose();
      }
    });
  }
});
