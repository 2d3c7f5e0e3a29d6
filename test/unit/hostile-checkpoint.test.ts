/**
 * The checkpoint reader and key mapping against crafted files: every refusal is quick, bounded in
 * memory and in message length, and prints file-derived names escaped.
 */
import { describe, expect, it } from 'vitest';
import { CheckpointError, readCheckpoint, scanCheckpoint } from '../../src/model/checkpoint/index';
import { printable } from '../../src/model/checkpoint/errors';
import { MAX_PICKLE_VALUES, unpickle } from '../../src/model/checkpoint/unpickle';
import { buildSpec, paramEntries, resolveConfig } from '../../src/model/index.js';
import { assertCheckpointFits, BadWeightsError, KeyMismatchError, mapCheckpoint, type CheckpointTensor } from '../../src/model/key-map.js';
import { writeTorchCheckpoint, writeZip, type TensorSpecs } from '../helpers/checkpoint-writers.js';
import { billionLaughsPickle, breakDeflatedEntry, copyAmplifierPickle, torchZipAround } from '../helpers/hostile-files.js';

const spec = buildSpec(resolveConfig('ghostnet-fmnist'));

/** A zero-filled state_dict of the right names and shapes for ghostnet-fmnist. */
function zeroTensors(): Map<string, CheckpointTensor & { dtype: string }> {
  const m = new Map<string, CheckpointTensor & { dtype: string }>();
  for (const e of paramEntries(spec)) {
    const n = e.ptShape.reduce((a, b) => a * b, 1);
    m.set(e.name, { shape: [...e.ptShape], dtype: 'float32', data: new Float32Array(n).fill(0.01) });
  }
  return m;
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('hostile checkpoints', () => {
  for (const levels of [26, 40]) {
    it(`billion laughs: a key nested ${levels} deep is refused quickly with a short message`, () => {
      const file = torchZipAround(billionLaughsPickle(levels));
      expect(file.length).toBeLessThan(1500);
      const t0 = performance.now();
      const e = thrown(() => readCheckpoint(file, 'laughs.pth'));
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(e).toBeInstanceOf(CheckpointError);
      expect(e.message).toMatch(/laughs\.pth holds no state_dict/);
      expect(e.message.length).toBeLessThan(400);
      expect(e.message).not.toMatch(/\n/);
    });
  }

  it('the unpickler stops a stream that builds more than its value budget', () => {
    const pkl = copyAmplifierPickle(100_000, 25);
    expect(pkl.length).toBeLessThan(600_000);
    const e = thrown(() => unpickle(pkl, { label: 'amp.pkl' }));
    expect(e.message).toMatch(new RegExp(`amp\\.pkl is damaged: it builds more than ${MAX_PICKLE_VALUES.toLocaleString('en-US')} values \\(by byte \\d+\\)`));
    // It stops part-way through the copies, not after building all 2.5 million values.
    const stoppedAt = Number(/by byte (\d+)/.exec(e.message)![1]);
    expect(stoppedAt).toBeLessThan(pkl.length - 7 * 5);
    // The same list copied a few times stays within budget: the bound is not a hair trigger.
    expect(() => unpickle(copyAmplifierPickle(1000, 5))).not.toThrow();
  });

  it('a huge expanded view of a one-element storage is refused while scanning, before any data', () => {
    const file = writeTorchCheckpoint({ 'conv_stem.weight': { shape: [20000, 20000], stride: [0, 0], data: [0] } });
    expect(file.length).toBeLessThan(2000);
    const before = process.memoryUsage().rss;
    const e = thrown(() => scanCheckpoint(file, 'expand.pth'));
    expect(e).toBeInstanceOf(CheckpointError);
    expect((e as CheckpointError).code).toBe('bad-tensor');
    expect(e.message).toMatch(/conv_stem\.weight in expand\.pth claims 400000000 elements \(shape \[20000, 20000\]\) but its storage holds only 1/);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    // Small or modest expansions (a broadcast bias) are still read.
    const t = readCheckpoint(writeTorchCheckpoint({
      w: { shape: [2, 3], stride: [1, 2], data: [0, 1, 2, 3, 4, 5] },
      b: { shape: [1024, 1024], stride: [0, 1], data: new Float32Array(1024).fill(2) },
      m: { shape: [64, 2048, 16], stride: [0, 16, 1], data: new Float32Array(2048 * 16).fill(1) },
    }));
    expect([...t.tensors.get('w')!.data]).toEqual([0, 2, 4, 1, 3, 5]);
    expect(t.tensors.get('b')!.data.every((v) => v === 2)).toBe(true);
    expect(t.tensors.get('m')!.data).toHaveLength(64 * 2048 * 16);
    expect(() => scanCheckpoint(writeTorchCheckpoint({ m: { shape: [65, 2048, 16], stride: [0, 16, 1], data: new Float32Array(2048 * 16) } }))).toThrow(
      /claims 2129920 elements .* storage holds only 32768: an expanded view more than 64 times its data/,
    );
  });

  it('scanCheckpoint reads names, dtypes and shapes without decoding: a damaged storage shows only on decode', () => {
    const file = writeTorchCheckpoint({ a: { shape: [64, 64], data: new Float32Array(4096) }, b: { shape: [2], data: [1, 2] } }, { compress: true });
    breakDeflatedEntry(file, 'archive/data/0'); // storage of 'a'
    const index = scanCheckpoint(file, 'lazy.pth');
    expect(index.tensors.get('a')!.shape).toEqual([64, 64]);
    expect([...index.tensors.get('b')!.decode()]).toEqual([1, 2]);
    expect(() => index.tensors.get('a')!.decode()).toThrow(/does not decompress/);
  });

  it('a deflated entry claiming more than deflate can produce is refused before allocating', () => {
    const file = writeZip([{ name: 'archive/data.pkl', data: new Uint8Array(5000) }], { compress: true });
    // Patch the central directory's uncompressed size of the only entry to 3 GB.
    const dv = new DataView(file.buffer, file.byteOffset);
    let cd = -1;
    for (let i = file.length - 22; i >= 0 && cd < 0; i--) if (dv.getUint32(i, true) === 0x02014b50) cd = i;
    dv.setUint32(cd + 24, 3_000_000_000, true);
    expect(() => readCheckpoint(file, 'claims.pth')).toThrow(/claims 3000000000 bytes from \d+ compressed, more than deflate can produce/);
  });
});

describe('names, dtypes and values of weights', () => {
  it('printable escapes control codes and bidi overrides and cuts long text', () => {
    expect(printable('a\x1b[2Jb\u202ec\n')).toBe('a\\u001b[2Jb\\u202ec\\u000a');
    expect(printable('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}… (500 characters)`);
  });

  it('a key with terminal escape codes is reported escaped', () => {
    const t = zeroTensors();
    t.set('\x1b[2J\x1b[Hconversion OK\x07', { shape: [1], dtype: 'float32', data: new Float32Array(1) });
    const e = thrown(() => mapCheckpoint(t, spec));
    expect(e).toBeInstanceOf(KeyMismatchError);
    expect(e.message).toContain('1 unexpected (\\u001b[2J\\u001b[Hconversion OK\\u0007)');
    expect(e.message).not.toMatch(/[\x00-\x1f\x7f]/);
  });

  it('a 100,000-character key is cut in the message', () => {
    const t = zeroTensors();
    t.set(`x${'y'.repeat(100_000)}`, { shape: [1], dtype: 'float32', data: new Float32Array(1) });
    const e = thrown(() => mapCheckpoint(t, spec));
    expect(e.message).toMatch(/1 unexpected \(xy+… \(100001 characters\)\)/);
    expect(e.message.length).toBeLessThan(400);
  });

  it('refuses integer weights by dtype before looking at any value, and NaN or infinite weights', () => {
    const ints = zeroTensors();
    const stem = ints.get('conv_stem.weight')!;
    ints.set('conv_stem.weight', { ...stem, dtype: 'int64' });
    // Shapes and dtypes only: no data is needed to refuse it.
    const shapes = new Map([...ints].map(([k, v]) => [k, { shape: v.shape, dtype: v.dtype }]));
    expect(() => assertCheckpointFits(shapes, spec)).toThrow(/weight conv_stem\.weight is stored as int64; weights must be floating point/);
    expect(() => mapCheckpoint(ints, spec)).toThrow(BadWeightsError);

    for (const bad of [NaN, Infinity, -Infinity]) {
      const t = zeroTensors();
      t.get('blocks.0.0.ghost1.primary_conv.0.weight')!.data[3] = bad;
      expect(() => mapCheckpoint(t, spec)).toThrow(new RegExp(`blocks\\.0\\.0\\.ghost1\\.primary_conv\\.0\\.weight holds a non-finite value \\(${String(bad).replace('+', '')} at index 3\\)`));
    }
    expect(mapCheckpoint(zeroTensors(), spec).size).toBe(paramEntries(spec).length);
  });

  it('a checkpoint whose tensor is stored as int64 is refused by the reader + mapping path', () => {
    const specs: TensorSpecs = {};
    for (const e of paramEntries(spec)) specs[e.name] = { shape: e.ptShape, data: new Float32Array(e.ptShape.reduce((a, b) => a * b, 1)) };
    specs['classifier.bias'] = { shape: [10], data: new Array(10).fill(1), dtype: 'int64' };
    const idx = scanCheckpoint(writeTorchCheckpoint(specs), 'ints.pth');
    expect(() => assertCheckpointFits(idx.tensors, spec)).toThrow(/classifier\.bias is stored as int64/);
  });
});
