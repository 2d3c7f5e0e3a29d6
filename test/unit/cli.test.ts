import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { gzipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, type GhostNetModel } from '../../src/model/index.js';
import { writeNpy } from '../../src/model/npy.js';
import { writeMaliciousCheckpoint, writeSafetensors, writeTorchCheckpoint, type TensorSpecs } from '../helpers/checkpoint-writers.js';
import { maxAbsDiff, runCliAsync as cli, stateDict, tempDir, useWasm } from '../helpers/ghostlab.js';

let dir: string;
let v1: GhostNetModel;
let v2: GhostNetModel;
let npyPath: string;
let x: tf.Tensor4D;
const expected: Record<string, Float32Array> = {};

/** The state_dict as torch.save writes it, plus bookkeeping entries of the given style. */
function torchSpecs(m: GhostNetModel, style: 'official' | 'timm'): TensorSpecs {
  const specs: TensorSpecs = {};
  for (const [k, v] of Object.entries(stateDict(m))) {
    specs[k] = { shape: v.shape, data: v.data, parameter: style === 'timm' };
    if (k.endsWith('.running_var')) specs[k.replace('running_var', 'num_batches_tracked')] = { shape: [], data: [7], dtype: 'int64' };
  }
  if (style === 'official') {
    // The released GhostNetV2 checkpoints carry thop's counters on every module.
    specs['blocks.2.0.ghost1.gate_fn.total_ops'] = { shape: [1], data: [0], dtype: 'float64' };
    specs.total_params = { shape: [1], data: [0], dtype: 'float64' };
  }
  return specs;
}

function safetensorsOf(m: GhostNetModel) {
  return writeSafetensors(Object.fromEntries(Object.entries(stateDict(m)).map(([k, v]) => [k, { shape: v.shape, data: v.data }])));
}

/** Asserts the CLI failed with one clear stderr line and left no output directory. */
function expectFailure(r: { code: number; stderr: string }, out: string, pattern: RegExp) {
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
}

beforeAll(async () => {
  await useWasm();
  dir = tempDir();
  v1 = createModel('ghostnet-fmnist', { seed: 11 });
  v2 = createModel('ghostnetv2-fmnist', { seed: 12 });
  x = tf.randomNormal([2, 28, 28, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
  for (const [k, m] of Object.entries({ v1, v2 })) {
    const y = m.logits(x);
    expected[k] = y.dataSync() as Float32Array;
    y.dispose();
  }
  // NCHW for the .npy file (C = 1, so NHWC data is already NCHW-ordered)
  npyPath = join(dir, 'batch.npy');
  writeFileSync(npyPath, writeNpy([2, 1, 28, 28], x.dataSync() as Float32Array));
  writeFileSync(join(dir, 'v1-official.pth'), writeTorchCheckpoint(torchSpecs(v1, 'official')));
  writeFileSync(join(dir, 'v2-official.pth'), writeTorchCheckpoint(torchSpecs(v2, 'official')));
  writeFileSync(join(dir, 'v2-timm.pth'), writeTorchCheckpoint(torchSpecs(v2, 'timm'), { nest: 'state_dict', prefix: 'module.', extra: { epoch: 3 } }));
  writeFileSync(join(dir, 'v1.safetensors'), safetensorsOf(v1));
  writeFileSync(join(dir, 'v2.safetensors'), safetensorsOf(v2));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  v1?.dispose();
  v2?.dispose();
  x?.dispose();
});

describe('ghostlab CLI', () => {
  it('every verb has --help; unknown verbs and options fail with one line', async () => {
    for (const verb of ['convert', 'predict', 'cost', 'eval', 'bench']) {
      const r = await cli([verb, '--help']);
      expect(r.code, verb).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: ghostlab ${verb}`));
    }
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const o = await cli(['cost', '--arch', 'ghostnet_100', '--bogus']);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/unknown option --bogus/);
  });

  it('cost --json follows the contract and has the official totals', async () => {
    const r = await cli(['cost', '--arch', 'ghostnet_100', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.arch).toBe('ghostnet_100');
    expect(j.input).toEqual([224, 224, 3]);
    expect(j.total).toEqual({ params: 5_182_508, macs: 141_150_512 });
    expect(Object.keys(j.layers[0]).sort()).toEqual(['kind', 'macs', 'name', 'outShape', 'params']);
    const w = JSON.parse((await cli(['cost', '--arch', 'ghostnetv2_100', '--width', '1.3', '--input', '224', '--json'])).stdout);
    expect(w.total.params).toBe(8_960_404);
    const ref = await cli(['cost', '--arch', 'vgg16_cifar', '--ghost', '--s', '2', '--d', '3', '--json']);
    expect(ref.code).toBe(0);
    expect(JSON.parse(ref.stdout).total.params).toBeGreaterThan(0);
    const text = await cli(['cost', '--arch', 'ghostnetv2_100']);
    expect(text.stdout).toMatch(/total: 6,156,908 parameters .* 167,048,288 MACs/);
    expect((await cli(['cost', '--arch', 'resnet50', '--width', '2'])).stderr).toMatch(/--width applies to GhostNet ids only/);
  });

  for (const [name, arch, key] of [
    ['v1-official.pth', 'ghostnet-fmnist', 'v1'],
    ['v1.safetensors', 'ghostnet-fmnist', 'v1'],
    ['v2-official.pth', 'ghostnetv2-fmnist', 'v2'],
    ['v2-timm.pth', 'ghostnetv2-fmnist', 'v2'],
    ['v2.safetensors', 'ghostnetv2-fmnist', 'v2'],
  ] as const) {
    it(`convert → predict round trip: ${name}`, async () => {
      const out = join(dir, `out-${name}`);
      const c = await cli(['convert', join(dir, name), '--arch', arch, '--out', out]);
      expect(c.code, c.stderr).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
      const mj = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
      expect(mj.weightsManifest[0].weights[0]).toEqual({ name: 'conv_stem.weight', shape: [3, 3, 1, 16], dtype: 'float32' });
      expect(mj.ghostlab.arch).toBe(arch);
      const p = await cli(['predict', '--model', out, '--input', npyPath, '--json']);
      expect(p.code, p.stderr).toBe(0);
      const j = JSON.parse(p.stdout);
      expect(j.files).toEqual([`${npyPath}[0]`, `${npyPath}[1]`]);
      expect(maxAbsDiff(j.logits.flat(), expected[key]!)).toBeLessThanOrEqual(1e-4);
      expect(j.top5[0]).toHaveLength(5);
      expect(Object.keys(j.top5[0][0]).sort()).toEqual(['index', 'label', 'p']);
    });
  }

  it('predict: PNG, JPEG and directories, in the order given, with the model labels', async () => {
    const out = join(dir, 'out-v1.safetensors');
    const imgs = join(dir, 'imgs');
    mkdirSync(imgs);
    const png = new PNG({ width: 40, height: 30 });
    for (let i = 0; i < 40 * 30; i++) png.data.set([(i * 7) % 256, 80, 200, 255], i * 4);
    writeFileSync(join(imgs, 'a.png'), PNG.sync.write(png));
    const raw = { width: 28, height: 28, data: Buffer.alloc(28 * 28 * 4, 200) };
    writeFileSync(join(imgs, 'b.jpg'), jpeg.encode(raw, 90).data);
    const r = await cli(['predict', '--model', out, '--input', join(imgs, 'b.jpg'), imgs, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.files).toEqual([join(imgs, 'b.jpg'), join(imgs, 'a.png'), join(imgs, 'b.jpg')]);
    expect(j.logits).toHaveLength(3);
    expect(v1.labels).toContain(j.top5[0][0].label);
    expect(j.logits[0]).toEqual(j.logits[2]);
    const t = await cli(['predict', '--model', out, '--input', join(imgs, 'a.png')]);
    expect(t.stdout).toMatch(/a\.png: .+ \(#\d\) [\d.]+%/);
    const bad = await cli(['predict', '--model', out, '--input', join(dir, 'v1.safetensors')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/is not a PNG or JPEG image/);
  });

  it('convert --quantize float16 halves the shards and predicts closely', async () => {
    const out = join(dir, 'out-f16');
    expect((await cli(['convert', join(dir, 'v2.safetensors'), '--arch', 'ghostnetv2-fmnist', '--out', out, '--quantize', 'float16'])).code).toBe(0);
    const mj = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(mj.weightsManifest[0].weights[0].quantization).toEqual({ dtype: 'float16' });
    const j = JSON.parse((await cli(['predict', '--model', out, '--input', npyPath, '--json'])).stdout);
    expect(maxAbsDiff(j.logits.flat(), expected.v2!)).toBeLessThan(0.05);
  });

  it('refuses to overwrite a non-empty output directory unless --force', async () => {
    const out = join(dir, 'out-v1-official.pth');
    const r = await cli(['convert', join(dir, 'v1.safetensors'), '--arch', 'ghostnet-fmnist', '--out', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/already exists and is not empty \(pass --force/);
    expect((await cli(['convert', join(dir, 'v1.safetensors'), '--arch', 'ghostnet-fmnist', '--out', out, '--force'])).code).toBe(0);
  });

  describe('bad checkpoints: own message, non-zero exit, no output', () => {
    const cases: [string, () => Uint8Array, string[], RegExp][] = [
      ['truncated', () => readFileSync(join(dir, 'v1-official.pth')).subarray(0, 20_000), ['--arch', 'ghostnet-fmnist'], /truncat|ends early|cut short|too short/i],
      ['not a zip', () => new TextEncoder().encode('hello, this is not a checkpoint\n'.repeat(10)), ['--arch', 'ghostnet-fmnist'], /neither a PyTorch checkpoint/],
      ['forbidden global', () => writeMaliciousCheckpoint('echo pwned'), ['--arch', 'ghostnet-fmnist'], /os\.system|not allowed|forbidden/i],
      ['wrong arch', () => readFileSync(join(dir, 'v2-official.pth')), ['--arch', 'ghostnet-fmnist'], /does not match ghostnet-fmnist.*looks like a ghostnetv2-fmnist checkpoint/],
      [
        'missing key',
        () => {
          const s = torchSpecs(v1, 'official');
          delete s['blocks.4.0.se.conv_reduce.bias'];
          return writeTorchCheckpoint(s);
        },
        ['--arch', 'ghostnet-fmnist'],
        /1 missing \(blocks\.4\.0\.se\.conv_reduce\.bias\)/,
      ],
      [
        'wrong shape',
        () => {
          const s = torchSpecs(v1, 'official');
          s['classifier.bias'] = { shape: [11], data: new Float32Array(11) };
          return writeTorchCheckpoint(s);
        },
        ['--arch', 'ghostnet-fmnist'],
        /1 with the wrong shape \(classifier\.bias: expected \[10\], got \[11\]\)/,
      ],
    ];
    for (const [name, make, args, pattern] of cases) {
      it(name, async () => {
        const f = join(dir, `bad-${name.replace(/ /g, '-')}.pth`);
        writeFileSync(f, make());
        const out = join(dir, `out-bad-${name.replace(/ /g, '-')}`);
        expectFailure(await cli(['convert', f, ...args, '--out', out]), out, pattern);
      });
    }
    it('missing file, unknown arch, bad --quantize', async () => {
      const out = join(dir, 'out-none');
      expectFailure(await cli(['convert', join(dir, 'nope.pth'), '--arch', 'ghostnet-fmnist', '--out', out]), out, /does not exist/);
      expectFailure(await cli(['convert', join(dir, 'v1.safetensors'), '--arch', 'ghostnet_999', '--out', out]), out, /unknown --arch 'ghostnet_999'/);
      expectFailure(await cli(['convert', join(dir, 'v1.safetensors'), '--arch', 'ghostnet-fmnist', '--out', out, '--quantize', 'int4']), out, /--quantize supports only float16/);
    });
  });

  it('eval: Fashion-MNIST IDX files, accuracy and per-class accuracy; clear errors for missing or bad data', async () => {
    const data = join(dir, 'fmnist');
    mkdirSync(data);
    const n = 30;
    const imgs = new Uint8Array(16 + n * 784);
    const dv = new DataView(imgs.buffer);
    [0x803, n, 28, 28].forEach((v, i) => dv.setUint32(4 * i, v));
    for (let i = 16; i < imgs.length; i++) imgs[i] = (i * 31) % 256;
    const labels = new Uint8Array(8 + n);
    new DataView(labels.buffer).setUint32(0, 0x801);
    new DataView(labels.buffer).setUint32(4, n);
    for (let i = 0; i < n; i++) labels[8 + i] = i % 10;
    writeFileSync(join(data, 't10k-images-idx3-ubyte.gz'), gzipSync(imgs));
    writeFileSync(join(data, 't10k-labels-idx1-ubyte.gz'), gzipSync(labels));
    const model = join(dir, 'out-v1.safetensors');
    const r = await cli(['eval', '--model', model, '--data', data, '--limit', '20', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.total).toBe(20);
    expect(j.perClass).toHaveLength(10);
    expect(j.perClass[3]).toMatchObject({ label: 'Dress', total: 2 });
    expect(r.stderr).toMatch(/eval: 20\/20 images/);
    const t = await cli(['eval', '--model', model, '--data', data]);
    expect(t.stdout).toMatch(/ghostnet-fmnist: accuracy [\d.]+% \(\d+\/30\)/);
    const missing = await cli(['eval', '--model', model, '--data', join(dir, 'nowhere')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/does not exist/);
    const empty = join(dir, 'empty-data');
    mkdirSync(empty);
    expect((await cli(['eval', '--model', model, '--data', empty])).stderr).toMatch(/t10k-images-idx3-ubyte\[\.gz\] not found/);
    writeFileSync(join(empty, 't10k-images-idx3-ubyte'), labels);
    writeFileSync(join(empty, 't10k-labels-idx1-ubyte'), labels);
    expect((await cli(['eval', '--model', model, '--data', empty])).stderr).toMatch(/not an IDX images file \(magic 2049 instead of 2051\)/);
  });

  it('bench: a short run prints medians per backend and arch', async () => {
    const r = await cli(['bench', '--arch', 'ghostnet-fmnist', 'ghostnetv2-fmnist', '--input', '28', '--runs', '2', '--warmup', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.stats).toHaveLength(4);
    expect(j.stats.every((s: { median: number }) => s.median > 0)).toBe(true);
  });
});
