import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, GhostNetModel, type WeightSet } from '../../src/model/index.js';
import { maxAbsDiff, useWasm } from '../helpers/ghostlab.js';

beforeAll(useWasm);

// A knocked-out module must behave exactly like the same model with its cheap operation's weights
// rewritten to do the knock-out: a zero kernel and a zero BatchNorm shift give zeros; a centred
// one-hot kernel and an identity BatchNorm give each ghost its own source.
function rewrite(w: WeightSet, path: string, mode: 'zeros' | 'copies'): WeightSet {
  const out: WeightSet = new Map([...w].map(([k, v]) => [k, { shape: [...v.shape], data: Float32Array.from(v.data) }]));
  const kernel = out.get(`${path}.cheap_operation.0.weight`)!;
  const [d, , c, q] = kernel.shape as [number, number, number, number]; // tf depthwise [d, d, in, multiplier]
  kernel.data.fill(0);
  if (mode === 'copies') {
    const centre = ((d - 1) / 2) * d + (d - 1) / 2;
    for (let i = 0; i < c * q; i++) kernel.data[centre * c * q + i] = 1;
  }
  const bn = `${path}.cheap_operation.1`;
  out.get(`${bn}.weight`)!.data.fill(1);
  out.get(`${bn}.bias`)!.data.fill(0);
  out.get(`${bn}.running_mean`)!.data.fill(0);
  out.get(`${bn}.running_var`)!.data.fill(1 - 1e-5);
  return out;
}

describe('knock-out of one Ghost module’s ghosts', () => {
  for (const arch of ['ghostnet-fmnist', 'ghostnet-fmnist-s3-d5', 'ghostnetv2-fmnist']) {
    for (const mode of ['zeros', 'copies'] as const) {
      it(`${arch}, ${mode}: the same logits as the model whose cheap operation does it`, () => {
        const model = createModel(arch, { seed: 7 });
        const path = 'blocks.3.0.ghost1';
        const twin = new GhostNetModel(model.config, rewrite(model.getWeights(), path, mode));
        const [h, w, c] = model.inputShape;
        const x = tf.randomNormal([3, h, w, c], 0, 1, 'float32', 9) as tf.Tensor4D;
        const knocked = model.logits(x, { knockout: { path, mode } });
        const rewritten = twin.logits(x);
        const intact = model.logits(x);
        expect(maxAbsDiff(knocked.dataSync(), rewritten.dataSync())).toBeLessThan(1e-4);
        expect(maxAbsDiff(knocked.dataSync(), intact.dataSync())).toBeGreaterThan(1e-3);
        tf.dispose([x, knocked, rewritten, intact]);
        model.dispose();
        twin.dispose();
      });
    }
  }

  it('refuses a module that has no ghosts (the plain twin) or does not exist', () => {
    const plain = createModel('plainnet-fmnist', { seed: 1 });
    const x = tf.zeros([1, ...plain.inputShape]) as tf.Tensor4D;
    expect(() => plain.logits(x, { knockout: { path: 'blocks.3.0.ghost1', mode: 'zeros' } })).toThrow(/not a Ghost module/);
    expect(() => plain.logits(x, { knockout: { path: 'blocks.99.0.ghost1', mode: 'zeros' } })).toThrow(/not a Ghost module/);
    x.dispose();
    plain.dispose();
  });
});
