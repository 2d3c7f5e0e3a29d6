import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildSpec,
  canonicalKey,
  createModel,
  decodeWeights,
  encodeWeights,
  fromArtifacts,
  fromCheckpoint,
  fromHalf,
  guessArch,
  load,
  KeyMismatchError,
  mapCheckpoint,
  paramEntries,
  ptToTf,
  resolveConfig,
  tfToPt,
  toHalf,
  type CheckpointTensor,
} from '../../src/model/index.js';
import { maxAbsDiff, stateDict, useWasm } from '../helpers/ghostlab.js';

beforeAll(useWasm);

const toMap = (sd: Record<string, CheckpointTensor>) => new Map(Object.entries(sd));

describe('layouts', () => {
  it('PyTorch ↔ tfjs conversions are inverse and put values where tfjs expects them', () => {
    const spec = buildSpec(resolveConfig('ghostnet-fmnist-s3-d3'));
    for (const e of paramEntries(spec).filter((p) => p.role !== 'vector').slice(0, 12)) {
      const n = e.ptShape.reduce((a, b) => a * b, 1);
      const pt = Float32Array.from({ length: n }, (_, i) => i);
      expect(tfToPt(e, ptToTf(e, pt))).toEqual(pt);
    }
    // depthwise with multiplier 2: PyTorch out channel c·2 + j reads input c → tf [kh, kw, c, j]
    const dw = paramEntries(spec).find((p) => p.name === 'blocks.0.0.ghost1.cheap_operation.0.weight')!;
    expect(dw.ptShape).toEqual([12, 1, 3, 3]);
    expect(dw.tfShape).toEqual([3, 3, 6, 2]);
    const pt = Float32Array.from({ length: 108 }, (_, i) => i);
    const t = ptToTf(dw, pt);
    // pt[o=5 (c=2, j=1), 0, y=1, x=2] → tf[1, 2, 2, 1]
    expect(t[((1 * 3 + 2) * 6 + 2) * 2 + 1]).toBe(5 * 9 + 1 * 3 + 2);
  });
});

describe('weights manifest', () => {
  it('float16 conversion: exact for representable values, rounding to nearest even, inf/NaN/subnormals', () => {
    for (const v of [0, 1, -2, 0.5, 65504, 2 ** -24, -(2 ** -14), 1025, 3 * 2 ** -20]) expect(fromHalf(toHalf(v))).toBe(v);
    expect(fromHalf(toHalf(1 + 2 ** -11))).toBe(1); // tie → even
    expect(fromHalf(toHalf(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9);
    expect(fromHalf(toHalf(1e6))).toBe(Infinity);
    expect(Number.isNaN(fromHalf(toHalf(NaN)))).toBe(true);
    expect(Math.abs(fromHalf(toHalf(0.1)) - 0.1)).toBeLessThan(1e-4);
  });

  it('round trip float32 exactly and float16 closely; shards are at most the limit', () => {
    const m = createModel('ghostnetv2-fmnist', { seed: 4 });
    const order = paramEntries(m.spec).map((e) => e.name);
    const { group, shards } = encodeWeights(m.getWeights(), order, { shardBytes: 100_000 });
    expect(shards.length).toBeGreaterThan(5);
    expect(shards.every((s) => s.byteLength <= 100_000)).toBe(true);
    expect(group.paths[0]).toBe(`group1-shard1of${shards.length}.bin`);
    const back = decodeWeights([group], [shards]);
    for (const n of order) expect(back.get(n)!.data).toEqual(m.getWeights().get(n)!.data);
    const half = encodeWeights(m.getWeights(), order, { quantize: 'float16' });
    expect(half.group.weights[0]!.quantization).toEqual({ dtype: 'float16' });
    const hb = decodeWeights([half.group], [half.shards]);
    const w = m.getWeights().get('conv_stem.weight')!.data;
    expect(maxAbsDiff(hb.get('conv_stem.weight')!.data, w)).toBeLessThan(2e-3);
    expect(() => decodeWeights([group], [shards.slice(1)])).toThrow(/shard/);
    m.dispose();
  });

  it('model artifacts carry the arch and the resolved config; a float16 model predicts like the original', () => {
    const m = createModel('ghostnet-fmnist', { seed: 6 });
    const art = m.toArtifacts({ quantize: 'float16' });
    expect(art.modelJson.ghostlab.arch).toBe('ghostnet-fmnist');
    expect(art.modelJson.ghostlab.config.labels[3]).toBe('Dress');
    expect(art.modelJson.ghostlab.config.preprocess.mean).toEqual([0.286]);
    const json = JSON.parse(JSON.stringify(art.modelJson));
    const m2 = fromArtifacts(json, art.shards.map((s) => s.bytes));
    const x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const a = m.logits(x);
    const b = m2.logits(x);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(0.05);
    tf.dispose([a, b, x]);
    m.dispose();
    m2.dispose();
    expect(() => fromArtifacts({ weightsManifest: [] }, [])).toThrow(/ghostlab/);
  });
});

describe('load (browser path)', () => {
  it('fetches model.json and its shards relative to its URL', async () => {
    const m = createModel('plainnet-fmnist', { seed: 2 });
    const art = m.toArtifacts({ shardBytes: 300_000 });
    const files = new Map<string, unknown>([['https://example.test/w/plain/model.json', art.modelJson]]);
    for (const s of art.shards) files.set(`https://example.test/w/plain/${s.path}`, s.bytes);
    const seen: string[] = [];
    const fetch = async (url: string) => {
      seen.push(url);
      const body = files.get(url);
      return {
        ok: body !== undefined,
        status: body === undefined ? 404 : 200,
        json: async () => body,
        arrayBuffer: async () => (body as Uint8Array).slice().buffer as ArrayBuffer,
      };
    };
    const loaded = await load('https://example.test/w/plain/model.json', { fetch });
    expect(seen.length).toBe(1 + art.shards.length);
    expect(loaded.arch).toBe('plainnet-fmnist');
    expect(loaded.numParams).toBe(m.numParams);
    await expect(load('https://example.test/w/none/model.json', { fetch })).rejects.toThrow(/HTTP 404/);
    loaded.dispose();
    m.dispose();
  });
});

describe('key mapping', () => {
  let model: ReturnType<typeof createModel>;
  let sd: Record<string, CheckpointTensor>;
  beforeAll(() => {
    model = createModel('ghostnetv2-fmnist', { seed: 8 });
    sd = stateDict(model);
  });

  it('maps an exact state_dict and reproduces the weights', () => {
    const ws = mapCheckpoint(toMap(sd), model.spec);
    for (const [k, w] of model.getWeights()) expect(ws.get(k)!.data).toEqual(w.data);
  });

  it('accepts wrapper prefixes and drops thop / num_batches_tracked buffers', () => {
    expect(canonicalKey('module.blocks.0.0.ghost1.primary_conv.0.weight')).toBe('blocks.0.0.ghost1.primary_conv.0.weight');
    expect(canonicalKey('_orig_mod.conv_stem.weight')).toBe('conv_stem.weight');
    expect(canonicalKey('blocks.2.0.ghost1.gate_fn.total_ops')).toBeNull();
    expect(canonicalKey('bn1.num_batches_tracked')).toBeNull();
    const extra: Record<string, CheckpointTensor> = {};
    for (const [k, v] of Object.entries(sd)) extra[`module.${k}`] = v;
    extra['blocks.2.0.ghost1.gate_fn.total_ops'] = { shape: [1], data: new Float32Array(1) };
    extra.total_params = { shape: [1], data: new Float32Array(1) };
    extra['bn1.num_batches_tracked'] = { shape: [], data: new Float32Array(1) };
    expect(() => mapCheckpoint(toMap(extra), model.spec)).not.toThrow();
  });

  it('reports every missing, unexpected and mis-shaped key in one error', () => {
    const bad: Record<string, CheckpointTensor> = { ...sd };
    delete bad['blocks.3.0.se.conv_expand.bias'];
    delete bad['bn1.running_var'];
    bad['blocks.3.0.extra.weight'] = { shape: [2], data: new Float32Array(2) };
    const [hOut, hIn] = sd['conv_head.weight']!.shape as [number, number];
    bad['conv_head.weight'] = { shape: [hOut, hIn, 3, 1], data: new Float32Array(hOut * hIn * 3) };
    try {
      mapCheckpoint(toMap(bad), model.spec);
      expect.unreachable();
    } catch (e) {
      const err = e as KeyMismatchError;
      expect(err).toBeInstanceOf(KeyMismatchError);
      expect(err.problems.missing.map((m) => m.name).sort()).toEqual(['blocks.3.0.se.conv_expand.bias', 'bn1.running_var']);
      expect(err.problems.unexpected.map((m) => m.name)).toEqual(['blocks.3.0.extra.weight']);
      expect(err.problems.misshaped).toEqual([{ name: 'conv_head.weight', expected: [hOut, hIn, 1, 1], got: [hOut, hIn, 3, 1] }]);
      expect(err.message).toContain(`1 with the wrong shape (conv_head.weight: expected [${hOut}, ${hIn}, 1, 1], got [${hOut}, ${hIn}, 3, 1])`);
      expect(err.message).toMatch(/2 missing .*bn1\.running_var.*1 unexpected \(blocks\.3\.0\.extra\.weight\)/);
      expect(err.message).not.toContain('\n');
    }
  });

  it('names the architecture a checkpoint does fit, and the class count', () => {
    expect(guessArch(toMap(sd))).toEqual({ arch: 'ghostnetv2-fmnist', numClasses: 10 });
    expect(() => fromCheckpoint(toMap(sd), 'ghostnet-fmnist')).toThrow(/looks like a ghostnetv2-fmnist checkpoint \(use --arch ghostnetv2-fmnist\)/);
    const m5 = createModel('plainnet-fmnist', { numClasses: 5 });
    expect(() => fromCheckpoint(toMap(stateDict(m5)), 'plainnet-fmnist')).toThrow(/with --num-classes 5/);
    m5.dispose();
    model.dispose();
  });
});
