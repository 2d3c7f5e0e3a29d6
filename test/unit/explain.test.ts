/** Each explained pixel (ghost, intrinsic, V2 gate) is the map's own value: every term shown adds up to the tap. */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, ghostModules, type GhostNetModel } from '../../src/model/index.js';
import { explainGatePixel, explainGhostPixel, explainIntrinsicPixel } from '../../src/model/explain.js';
import { inputTap } from '../../src/components/lab/module-input.js';
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

describe('explainIntrinsicPixel', () => {
  // ghost1 ends in a ReLU, ghost2 does not; the input is the tap before the module.
  for (const layer of ['blocks.1.0.ghost1', 'blocks.1.0.ghost2', 'blocks.3.0.ghost2']) {
    it(`${layer}: the primary conv over the input channels, through BN (and ReLU), equals the intrinsic map within 1e-4`, () => {
      const info = model.layers.find((l) => l.name === layer)!;
      const module = ghostModules(model.spec).find((g) => g.path === layer)!;
      const input = inputTap(model, info);
      expect(input).not.toBeNull();
      const r = model.inspect(x, [input!, `${layer}.intrinsic`]);
      const inp = r.taps.get(input!)!;
      const intr = r.taps.get(`${layer}.intrinsic`)!;
      const [, h, w, c] = inp.shape as number[];
      const [, oh, ow, m] = intr.shape as number[];
      const maps = { data: inp.dataSync(), height: h!, width: w!, channels: c! };
      const id = intr.dataSync();
      for (const [ch, row, col] of [[0, 0, 0], [m! - 1, oh! - 1, ow! - 1], [Math.floor(m! / 2), Math.floor(oh! / 2), 1]] as const) {
        const e = explainIntrinsicPixel(module, model.getWeights(), maps, ch, row, col, 5);
        expect(e.relu).toBe(info.ghost!.relu);
        expect(e.count).toBe(c! * module.primary.conv.kh * module.primary.conv.kw);
        expect(e.largest).toHaveLength(5);
        // listed largest first, by magnitude
        for (let i = 1; i < e.largest.length; i++) expect(Math.abs(e.largest[i - 1]!.product)).toBeGreaterThanOrEqual(Math.abs(e.largest[i]!.product));
        expect(Math.abs(e.value - id[(row * ow! + col) * m! + ch]!)).toBeLessThan(1e-4);
      }
      r.dispose();
    });
  }

  it('refuses a pixel or a map that does not exist, with a clear message', () => {
    const module = ghostModules(model.spec).find((g) => g.path === 'blocks.1.0.ghost1')!;
    const maps = { data: new Float32Array(14 * 14 * module.inC), height: 14, width: 14, channels: module.inC };
    expect(() => explainIntrinsicPixel(module, model.getWeights(), maps, module.intrinsic, 0, 0)).toThrow(/intrinsic map .* out of range/);
    expect(() => explainIntrinsicPixel(module, model.getWeights(), maps, 0, 14, 0)).toThrow(/outside the 14×14 map/);
    expect(() => explainIntrinsicPixel(module, model.getWeights(), { ...maps, channels: module.inC + 1 }, 0, 0, 0)).toThrow(/input channels/);
  });
});

describe('explainGatePixel', () => {
  const withAttention = () => ghostModules(model.spec).filter((g) => g.attention);

  it('the DFC passes at the down-sampled cell, through the sigmoid, equal the gate map at every probed pixel within 1e-4', () => {
    const modules = withAttention();
    expect(modules.length).toBeGreaterThan(0);
    let uneven = 0;
    for (const module of modules) {
      const p = module.path;
      const r = model.inspect(x, [`${p}.attn.conv`, `${p}.attn.gate`]);
      const z = r.taps.get(`${p}.attn.conv`)!;
      const gate = r.taps.get(`${p}.attn.gate`)!;
      const [, h, w, c] = z.shape as number[];
      const [, oh, ow] = gate.shape as number[];
      const maps = { data: z.dataSync(), height: h!, width: w!, channels: c! };
      const gd = gate.dataSync();
      for (const [ch, row, col] of [[0, 0, 0], [c! - 1, oh! - 1, ow! - 1], [Math.floor(c! / 2), Math.floor(oh! / 2), 1]] as const) {
        const e = explainGatePixel(module.attention!, model.getWeights(), maps, ch, row, col, oh!, ow!);
        expect(e.sharedRows).toContain(row);
        expect(e.sharedCols).toContain(col);
        expect(Math.abs(e.value - gd[(row * ow! + col) * c! + ch]!)).toBeLessThan(1e-4);
        // every output pixel sharing the cell has the same gate value
        for (const rr of e.sharedRows) expect(gd[(rr * ow! + col) * c! + ch]).toBe(gd[(row * ow! + col) * c! + ch]);
      }
      if (oh! % h! !== 0) {
        uneven++;
        // uneven up-sampling: cells are shared by different numbers of output rows
        const sizes = new Set(Array.from({ length: oh! }, (_, row) => explainGatePixel(module.attention!, model.getWeights(), maps, 0, row, 0, oh!, ow!).sharedRows.length));
        expect(sizes.size).toBeGreaterThan(1);
      }
      r.dispose();
    }
    expect(uneven).toBeGreaterThan(0);
  });

  it('marks the rows above the map as the vertical pass\'s zero padding', () => {
    const module = withAttention()[0]!;
    const c = module.attention!.conv.conv.outC;
    const maps = { data: Float32Array.from({ length: 4 * 4 * c }, (_, i) => (i % 7) / 7), height: 4, width: 4, channels: c };
    const e = explainGatePixel(module.attention!, model.getWeights(), maps, 0, 0, 0, 8, 8);
    expect(e.horizontal.slice(0, 2)).toEqual([null, null]);
    expect(e.window[0]).toBeNull();
    expect(e.verticalProducts[0]).toBe(0);
    expect(() => explainGatePixel(module.attention!, model.getWeights(), maps, c, 0, 0, 8, 8)).toThrow(/gate map .* out of range/);
    expect(() => explainGatePixel(module.attention!, model.getWeights(), maps, 0, 8, 0, 8, 8)).toThrow(/outside the 8×8 map/);
  });
});
