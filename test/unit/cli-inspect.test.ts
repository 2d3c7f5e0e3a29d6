/** `ghostlab inspect`: a tap's tensor from the CLI equals the library's forward tap. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, type GhostNetModel } from '../../src/model/index.js';
import { writeNpy } from '../../src/model/npy.js';
import { writeTorchCheckpoint } from '../helpers/checkpoint-writers.js';
import { maxAbsDiff, runCliAsync as cli, stateDict, tempDir, useWasm } from '../helpers/ghostlab.js';

let dir: string;
let model: GhostNetModel;
let modelDir: string;
let npy: string;
let x: tf.Tensor4D;

beforeAll(async () => {
  await useWasm();
  dir = tempDir('ghostlab-inspect-');
  model = createModel('ghostnetv2-fmnist', { seed: 21 });
  const specs = Object.fromEntries(Object.entries(stateDict(model)).map(([k, v]) => [k, { shape: v.shape, data: v.data }]));
  writeFileSync(join(dir, 'v2.pth'), writeTorchCheckpoint(specs));
  modelDir = join(dir, 'model');
  expect((await cli(['convert', join(dir, 'v2.pth'), '--arch', 'ghostnetv2-fmnist', '--out', modelDir])).code).toBe(0);
  x = tf.randomNormal([1, 28, 28, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
  npy = join(dir, 'x.npy');
  writeFileSync(npy, writeNpy([1, 1, 28, 28], x.dataSync() as Float32Array)); // C = 1: NHWC = NCHW order
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  model?.dispose();
  x?.dispose();
});

describe('ghostlab inspect', () => {
  it('--list gives the library\'s tap names in order', async () => {
    const r = await cli(['inspect', '--model', modelDir, '--list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ model: 'ghostnetv2-fmnist', taps: model.tapNames });
    expect((await cli(['inspect', '--model', modelDir, '--list'])).stdout.trim().split('\n')).toEqual(model.tapNames);
  });

  it('--json values equal the library\'s forward taps (ghost, intrinsic, DFC gate, logits)', async () => {
    const wanted = [
      model.tapNames.find((t) => t.endsWith('ghost1.intrinsic'))!,
      model.tapNames.find((t) => t.endsWith('ghost1.ghost'))!,
      model.tapNames.find((t) => /gate/.test(t))!,
      'logits',
    ].filter((t) => model.tapNames.includes(t));
    expect(wanted.length).toBeGreaterThanOrEqual(3);
    const lib = model.inspect(x, wanted);
    try {
      for (const tap of wanted) {
        const r = await cli(['inspect', '--model', modelDir, '--input', npy, '--tap', tap, '--json']);
        expect(r.code, r.stderr).toBe(0);
        const j = JSON.parse(r.stdout) as { tap: string; shape: number[]; values: number[] };
        const t = lib.taps.get(tap)!;
        expect(j.tap).toBe(tap);
        expect(j.shape).toEqual(t.shape);
        expect(j.values).toHaveLength(t.size);
        expect(maxAbsDiff(j.values, t.dataSync())).toBeLessThanOrEqual(1e-5);
      }
    } finally {
      lib.dispose();
    }
  });

  it('a text summary without --json; clear errors for an unknown tap or a batch', async () => {
    const tap = model.tapNames[0]!;
    const r = await cli(['inspect', '--model', modelDir, '--input', npy, '--tap', tap]);
    expect(r.stdout).toMatch(new RegExp(`^${tap.replace(/\./g, '\\.')}: shape \\[1, \\d+, \\d+, \\d+\\] \\(NHWC\\), \\d+ values, min `));
    const unknown = await cli(['inspect', '--model', modelDir, '--input', npy, '--tap', 'blocks.99']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown --tap 'blocks\.99' for ghostnetv2-fmnist/);
    const batch = join(dir, 'two.npy');
    writeFileSync(batch, writeNpy([2, 1, 28, 28], new Float32Array(2 * 784)));
    const b = await cli(['inspect', '--model', modelDir, '--input', batch, '--tap', tap]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/two\.npy holds 2 items; inspect takes one/);
  });
});
