import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, nativeResizeMatches, nearestIndices, upsampleNearest, upsampleNearestGather, type GhostNetModel } from '../../src/model/index.js';
import { maxAbsDiff, useWasm } from '../helpers/ghostlab.js';

beforeAll(useWasm);

function input(model: GhostNetModel, n = 2, seed = 3): tf.Tensor4D {
  const [h, w, c] = model.inputShape;
  return tf.randomNormal([n, h, w, c], 0, 1, 'float32', seed) as tf.Tensor4D;
}

describe('nearest upsampling (PyTorch F.interpolate mode=nearest)', () => {
  it('uses floor(i·in/out): 3 → 7 is 0,0,0,1,1,2,2 (not the half-pixel rule)', () => {
    expect([...nearestIndices(3, 7)]).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect([...nearestIndices(2, 5)]).toEqual([0, 0, 0, 1, 1]);
    expect([...nearestIndices(7, 14)]).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    expect([...nearestIndices(1, 3)]).toEqual([0, 0, 0]);
    expect([...nearestIndices(4, 4)]).toEqual([0, 1, 2, 3]);
  });

  it('the gather-based upsample follows those indices on odd sizes, and so does the fast path', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const rows = [0, 0, 0, 1, 1, 2, 2];
    const cols = [0, 0, 1, 1, 2]; // 3 → 5: floor(i·0.6)
    const want = rows.flatMap((r) => cols.map((c) => r * 3 + c + 1));
    const g = upsampleNearestGather(x, 7, 5);
    const a = upsampleNearest(x, 7, 5);
    expect([...g.dataSync()]).toEqual(want);
    expect([...a.dataSync()]).toEqual(want);
    tf.dispose([x, g, a]);
  });

  it('the backend resize is used only where it picks the same indices as the gather', () => {
    for (const [i, o] of [[3, 7], [1, 3], [2, 5], [7, 14], [14, 28], [28, 56], [5, 11], [13, 27]] as const) {
      expect(nativeResizeMatches(i, o), `${i}→${o}`).toBe(true); // true on wasm (verified per backend)
      const x = tf.randomUniform([1, i, i, 3]) as tf.Tensor4D;
      const a = upsampleNearest(x, o, o);
      const b = upsampleNearest(x, o, o, 'gather');
      expect([...a.dataSync()]).toEqual([...b.dataSync()]);
      tf.dispose([x, a, b]);
    }
  });
});

describe('forward passes', () => {
  const models: Record<string, GhostNetModel> = {};
  beforeAll(() => {
    for (const a of ['ghostnet-fmnist-s3-d3', 'ghostnetv2-fmnist', 'plainnet-fmnist']) models[a] = createModel(a, { seed: 5 });
    models.ghostnetv2_100 = createModel('ghostnetv2_100', { seed: 2, input: 56 });
  });
  afterAll(() => Object.values(models).forEach((m) => m.dispose()));

  it('folded (fused) logits equal the unfolded inspection logits (≤ 1e-4)', () => {
    for (const [arch, m] of Object.entries(models)) {
      const x = input(m);
      const a = m.logits(x);
      const r = m.inspect(x, []);
      const scale = Math.max(1, ...Array.from(a.dataSync(), Math.abs));
      expect(maxAbsDiff(a.dataSync(), r.logits.dataSync()) / scale, arch).toBeLessThanOrEqual(1e-4);
      a.dispose();
      r.dispose();
      x.dispose();
    }
  });

  it('a Ghost module output is concat(intrinsic, ghost)[:oup] (s = 3: 6 + 12 maps sliced to 16)', () => {
    const m = models['ghostnet-fmnist-s3-d3']!;
    const x = input(m, 1);
    const p = 'blocks.0.0.ghost1';
    const r = m.inspect(x, [`${p}.intrinsic`, `${p}.ghost`, p]);
    expect(r.taps.get(`${p}.intrinsic`)!.shape[3]).toBe(6);
    expect(r.taps.get(`${p}.ghost`)!.shape[3]).toBe(12);
    const cat = tf.tidy(() => tf.slice(tf.concat([r.taps.get(`${p}.intrinsic`)!, r.taps.get(`${p}.ghost`)!], 3), [0, 0, 0, 0], [-1, -1, -1, 16]));
    expect(r.taps.get(p)!.shape).toEqual([1, 28, 28, 16]);
    expect(maxAbsDiff(cat.dataSync(), r.taps.get(p)!.dataSync())).toBe(0);
    tf.dispose([cat, x]);
    r.dispose();
  });

  it('cheap kernels reproduce each ghost map from its source intrinsic map', () => {
    const m = models['ghostnet-fmnist-s3-d3']!;
    const p = 'blocks.2.0.ghost1';
    const k = m.cheapKernels(p);
    expect(k).toMatchObject({ ratio: 3, dwSize: 3, intrinsic: 24, ghost: 48 });
    const x = input(m, 1);
    const r = m.inspect(x, [`${p}.intrinsic`, `${p}.ghost`]);
    for (const j of [0, 1, 17, 47]) {
      const got = tf.tidy(() => {
        const src = tf.slice(r.taps.get(`${p}.intrinsic`)!, [0, 0, 0, k.source[j]!], [-1, -1, -1, 1]) as tf.Tensor4D;
        const conv = tf.depthwiseConv2d(src, tf.tensor4d(k.kernels[j]!, [3, 3, 1, 1]), 1, [[0, 0], [1, 1], [1, 1], [0, 0]]);
        return tf.relu(tf.add(tf.mul(conv, k.bnScale[j]!), k.bnShift[j]!));
      });
      const want = tf.tidy(() => tf.slice(r.taps.get(`${p}.ghost`)!, [0, 0, 0, j], [-1, -1, -1, 1]));
      expect(maxAbsDiff(got.dataSync(), want.dataSync()), `ghost map ${j}`).toBeLessThan(1e-4);
      tf.dispose([got, want]);
    }
    r.dispose();
    x.dispose();
  });

  it('V2 attention: the gate is sigmoid(vertical) upsampled 3 → 7 with the PyTorch rule, output = ungated · gate', () => {
    const m = models['ghostnetv2-fmnist']!;
    const p = 'blocks.6.0.ghost1'; // 7×7 input: pooled to 3×3
    const x = input(m, 1);
    const r = m.inspect(x, [`${p}.attn.vertical`, `${p}.attn.gate`, `${p}.ungated`, p]);
    expect(r.taps.get(`${p}.attn.vertical`)!.shape).toEqual([1, 3, 3, 200]);
    expect(r.taps.get(`${p}.attn.gate`)!.shape).toEqual([1, 7, 7, 200]);
    const v = r.taps.get(`${p}.attn.vertical`)!.arraySync() as number[][][][];
    const g = r.taps.get(`${p}.attn.gate`)!.arraySync() as number[][][][];
    const idx = [0, 0, 0, 1, 1, 2, 2];
    for (let i = 0; i < 7; i++)
      for (let j = 0; j < 7; j++) expect(g[0]![i]![j]![5]).toBeCloseTo(1 / (1 + Math.exp(-v[0]![idx[i]!]![idx[j]!]![5]!)), 5);
    const prod = tf.tidy(() => tf.mul(r.taps.get(`${p}.ungated`)!, r.taps.get(`${p}.attn.gate`)!));
    expect(maxAbsDiff(prod.dataSync(), r.taps.get(p)!.dataSync())).toBe(0);
    expect(m.layers.find((l) => l.name === `${p}.attn`)?.kind).toBe('dfc-attention');
    expect(m.layers.find((l) => l.name === 'blocks.1.0.ghost1.attn')).toBeUndefined(); // layer_id 1
    tf.dispose([prod, x]);
    r.dispose();
  });

  it('every layer of the layer list has taps with its output shape', () => {
    for (const arch of ['ghostnetv2-fmnist', 'plainnet-fmnist']) {
      const m = models[arch]!;
      const x = input(m, 1);
      const r = m.inspect(x, 'all');
      for (const l of m.layers) {
        const t = r.taps.get(l.taps[l.taps.length - 1]!);
        expect(t, `${arch} ${l.name}`).toBeDefined();
        expect(t!.shape.slice(1), `${arch} ${l.name}`).toEqual(l.outShape);
      }
      expect(r.taps.get('stem')!.shape).toEqual([1, 28, 28, 16]);
      expect(r.taps.get('blocks.6.1')!.shape).toEqual([1, 7, 7, 80]);
      r.dispose();
      x.dispose();
    }
    expect(() => models['plainnet-fmnist']!.inspect(tf.zeros([1, 28, 28, 1]) as tf.Tensor4D, ['nope'])).toThrow(/unknown tap/);
    expect(() => models['plainnet-fmnist']!.cheapKernels('blocks.0.0.ghost1')).toThrow(/plain conv/);
  });

  it('any input size, width and class count', () => {
    const m = createModel('ghostnet_050', { input: [45, 33], numClasses: 7 });
    const x = tf.randomNormal([1, 45, 33, 3]) as tf.Tensor4D;
    const y = m.logits(x);
    expect(y.shape).toEqual([1, 7]);
    expect(Number.isFinite(y.dataSync()[0])).toBe(true);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('predict returns probabilities and top-k with labels', async () => {
    const m = models['ghostnetv2-fmnist']!;
    const x = input(m, 2);
    const p = await m.predict(x, { topk: 3 });
    expect(p.top).toHaveLength(2);
    expect(p.top[0]).toHaveLength(3);
    expect(p.probabilities[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(m.labels).toContain(p.top[0]![0]!.label);
    expect(p.top[0]![0]!.p).toBeGreaterThanOrEqual(p.top[0]![1]!.p);
    x.dispose();
  });

  it('no tensor leaks on predict, logits, inspect, preprocessing or dispose', async () => {
    const base = tf.memory().numTensors;
    const m = createModel('ghostnetv2-fmnist', { seed: 9 });
    const x = input(m, 1);
    m.inspect(x, []).dispose(); // uploads the unfolded weights once
    const loaded = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      m.logits(x).dispose();
      await m.predict(x);
      m.inspect(x, 'all').dispose();
      await m.predict({ width: 30, height: 20, data: new Uint8Array(30 * 20 * 4).fill(128) });
    }
    expect(tf.memory().numTensors).toBe(loaded);
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
