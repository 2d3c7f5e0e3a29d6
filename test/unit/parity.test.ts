/**
 * Parity with the official PyTorch models: training/make_reference.py builds the official
 * architecture with random weights and random BatchNorm statistics and saves the state_dict
 * (.pth and .safetensors), an input batch and its eval-mode logits. Input 112 puts a 7×7 map
 * in front of V2's DFC attention, so the 7 → 3 → 7 nearest-upsample rule is exercised.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/model/checkpoint/index.js';
import { fromCheckpoint } from '../../src/model/index.js';
import { nchwToNhwc, parseNpy } from '../../src/model/npy.js';
import { maxAbsDiff, ROOT, runAsync, runCli, tempDir, useWasm } from '../helpers/ghostlab.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(ROOT, 'training/make_reference.py');

function torchMissing(): string | null {
  if (!existsSync(SCRIPT)) return `${SCRIPT} is absent`;
  if (!existsSync(PYTHON)) return `${PYTHON} is absent`;
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PYTHON} has no torch/numpy (apt-get install python3-torch python3-numpy)`;
}

const why = torchMissing();
if (why) console.warn(`parity tests skipped: ${why}`);

const CASES: [arch: string, input: number | null][] = [
  ['ghostnet_100', 112],
  ['ghostnetv2_100', 112],
  ['ghostnetv2-fmnist', null],
  ['plainnet-fmnist', null],
];

describe.skipIf(why !== null)('parity with the official PyTorch code (make_reference.py)', () => {
  beforeAll(useWasm);

  for (const [arch, input] of CASES) {
    it(`${arch}${input ? ` at ${input}×${input}` : ''}: .pth and .safetensors, folded and unfolded, ≤ 1e-4`, async () => {
      const out = tempDir(`ghostlab-ref-${arch}-`);
      const args = [SCRIPT, '--arch', arch, '--out', out, '--seed', '3', ...(input ? ['--input', String(input)] : [])];
      // Asynchronous: a long blocking call starves the test worker's link to Vitest (its 60 s RPC timeout).
      const r = await runAsync(PYTHON, args, 300_000);
      expect(r.code, r.stderr).toBe(0);
      const x = parseNpy(new Uint8Array(readFileSync(join(out, 'input.npy'))));
      const ref = parseNpy(new Uint8Array(readFileSync(join(out, 'logits.npy'))));
      const [n, c, h, w] = x.shape as [number, number, number, number];
      const xt = tf.tensor4d(nchwToNhwc(x.data, x.shape), [n, h, w, c]);
      for (const file of ['model.pth', 'model.safetensors']) {
        const ckpt = readCheckpoint(new Uint8Array(readFileSync(join(out, file))), file);
        const model = fromCheckpoint(ckpt.tensors, arch, input ? { input } : {});
        const folded = model.logits(xt);
        const unfolded = model.inspect(xt, []);
        expect(maxAbsDiff(folded.dataSync(), ref.data), `${file} folded`).toBeLessThanOrEqual(1e-4);
        expect(maxAbsDiff(unfolded.logits.dataSync(), ref.data), `${file} unfolded`).toBeLessThanOrEqual(1e-4);
        folded.dispose();
        unfolded.dispose();
        model.dispose();
      }
      xt.dispose();
      if (arch === 'ghostnetv2_100') {
        // The same through the command line.
        const dir = join(out, 'tfjs');
        expect(runCli(['convert', join(out, 'model.pth'), '--arch', arch, '--out', dir]).code).toBe(0);
        const p = runCli(['predict', '--model', dir, '--input', join(out, 'input.npy'), '--json']);
        expect(p.code, p.stderr).toBe(0);
        expect(maxAbsDiff(JSON.parse(p.stdout).logits.flat(), ref.data)).toBeLessThanOrEqual(1e-4);
      }
      rmSync(out, { recursive: true, force: true });
    });
  }
});
