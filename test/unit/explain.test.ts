/** The explained ghost pixel is the ghost map's own value: every term shown adds up to the tap. */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, type GhostNetModel } from '../../src/model/index.js';
import { explainGhostPixel } from '../../src/model/explain.js';
import { useWasm } from '../helpers/ghostlab.js';

let model: GhostNetModel;
let x: tf.Tensor4D;

beforeAll(async () => {
  await useWasm();
  model = createModel('ghostnetv2-fmnist', { seed: 5 });
  x = tf.randomNormal([1, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
});

afterAll(() => {
  model?.dispose();
  x?.dispose();
});

describe('explainGhostPixel', () => {
  // ghost1 ends in a ReLU, ghost2 does not; corners exercise the zero padding.
  for (const layer of ['blocks.1.0.ghost1', 'blocks.1.0.ghost2', 'blocks.3.0.ghost1']) {
    it(`${layer}: window × Φ, summed, through BN (and ReLU) equals the ghost map at every probed pixel within 1e-4`, () => {
      const info = model.layers.find((l) => l.name === layer)!;
      const k = model.cheapKernels(layer);
      const r = model.inspect(x, [`${layer}.intrinsic`, `${layer}.ghost`]);
      const intr = r.taps.get(`${layer}.intrinsic`)!;
      const ghost = r.taps.get(`${layer}.ghost`)!;
      const [, h, w, m] = intr.shape as number[];
      const g = ghost.shape[3]!;
      const maps = { data: intr.dataSync(), height: h!, width: w!, channels: m! };
      const gd = ghost.dataSync();
      for (const [j, row, col] of [[0, 0, 0], [g - 1, h! - 1, w! - 1], [Math.floor(g / 2), Math.floor(h! / 2), 1], [1, 0, w! - 1]] as const) {
        const e = explainGhostPixel(k, maps, j, row, col, info.ghost!.relu);
        expect(e.source).toBe(k.source[j]);
        expect(e.products.reduce((a, b) => a + b, 0)).toBeCloseTo(e.sum, 6);
        expect(Math.abs(e.value - gd[(row * w! + col) * g + j]!)).toBeLessThan(1e-4);
      }
      // A corner's window runs off the map: its outer row and column are padding.
      const corner = explainGhostPixel(k, maps, 0, 0, 0, info.ghost!.relu);
      expect(corner.window[0]).toBeNull();
      r.dispose();
    });
  }

  it('refuses a pixel or a map that does not exist, with a clear message', () => {
    const k = model.cheapKernels('blocks.1.0.ghost1');
    const maps = { data: new Float32Array(14 * 14 * k.intrinsic), height: 14, width: 14, channels: k.intrinsic };
    expect(() => explainGhostPixel(k, maps, k.ghost, 0, 0, true)).toThrow(/ghost map .* out of range/);
    expect(() => explainGhostPixel(k, maps, 0, 14, 0, true)).toThrow(/outside the 14×14 map/);
    expect(() => explainGhostPixel(k, maps, 0, -1, 0, true)).toThrow(/outside/);
  });
});
