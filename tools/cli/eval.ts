import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'fflate';
import { printable } from '../../src/model/checkpoint/errors.js';
import { preprocessGray } from '../../src/model/index.js';
import { bool, CliError, InputError, int, parseArgs, required, str } from './args.js';
import { err, out } from './output.js';
import { parseBackend, useBackend } from './backend.js';
import { readModelDir, readUserFile } from './fsio.js';
import { firstNonFinite } from './inputs.js';

export const DEFAULT_DATA = '/usr/share/datasets/fashion-mnist';
const INSTALL_HINT = ` (Debian: apt-get install dataset-fashion-mnist puts it in ${DEFAULT_DATA})`;

export const help = `Usage: ghostlab eval --model DIR [--data DIR] [--limit N] [options]

Accuracy of a converted model on the Fashion-MNIST test split (IDX files
t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]).

Options:
  --model DIR          directory with model.json
  --data DIR           data directory (default ${DEFAULT_DATA},
                       from the Debian package dataset-fashion-mnist)
  --limit N            evaluate the first N test images only
  --batch N            batch size (default 200)
  --json               print {"accuracy","correct","total","perClass"} as JSON
  --backend wasm|cpu   tfjs backend (default wasm)
  --help               this text`;

/** Largest IDX file read (the Fashion-MNIST training images are 47 MB). */
const MAX_IDX_BYTES = 64 * 1024 * 1024;

export interface Idx {
  dims: number[];
  data: Uint8Array;
}

/** Reads an IDX file (gzipped or not) and checks its magic number and size. */
export function readIdx(path: string, magic: number, what: string): Idx {
  let bytes = readUserFile(path, `Fashion-MNIST ${what}`);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    // The gzip trailer states the unpacked size: refuse a bomb before inflating it.
    const unpacked = bytes.length >= 18 ? new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true) : 0;
    if (unpacked > MAX_IDX_BYTES) throw new InputError(`${path} unpacks to ${unpacked} bytes; a Fashion-MNIST file is at most ${MAX_IDX_BYTES}`);
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new InputError(`${path} is not a valid gzip file`);
    }
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || dv.getUint32(0) !== magic) {
    throw new InputError(`${path} is not an IDX ${what} file (magic ${bytes.length >= 4 ? dv.getUint32(0) : '?'} instead of ${magic})`);
  }
  const nd = magic & 0xff;
  const dims = Array.from({ length: nd }, (_, i) => dv.getUint32(4 + 4 * i));
  const n = dims.reduce((a, b) => a * b, 1);
  const off = 4 + 4 * nd;
  if (bytes.length - off !== n) throw new InputError(`${path} holds ${bytes.length - off} bytes of data, its header says ${n}`);
  return { dims, data: bytes.subarray(off) };
}

function findFile(dir: string, stem: string): string {
  for (const f of [`${stem}.gz`, stem]) if (existsSync(join(dir, f))) return join(dir, f);
  throw new CliError(`Fashion-MNIST test file ${stem}[.gz] not found in ${dir}${INSTALL_HINT}`);
}

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, { model: 'string', data: 'string', limit: 'string', batch: 'string', json: 'boolean', backend: 'string', help: 'boolean' });
  if (bool(p, 'help')) return void out(help);
  if (p.positional.length) throw new CliError(`unexpected argument '${p.positional[0]}'`);
  const dir = required(p, 'model');
  const data = str(p, 'data') ?? DEFAULT_DATA;
  const limit = int(p, 'limit', { min: 1 });
  const batch = int(p, 'batch', { min: 1, max: 10000 }) ?? 200;
  if (!existsSync(data)) {
    throw new CliError(`data directory ${data} does not exist${INSTALL_HINT}`);
  }
  const images = readIdx(findFile(data, 't10k-images-idx3-ubyte'), 0x803, 'images');
  const labels = readIdx(findFile(data, 't10k-labels-idx1-ubyte'), 0x801, 'labels');
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) throw new InputError(`the test split has ${count} images but ${labels.dims[0]} labels`);
  await useBackend(parseBackend(str(p, 'backend')));
  const model = readModelDir(dir);
  try {
    const [H, W, C] = model.inputShape;
    if (C !== 1) throw new InputError(`${model.arch} takes ${C}-channel input; Fashion-MNIST is greyscale`);
    const n = Math.min(count, limit ?? count);
    const K = model.numClasses;
    const correctPer = new Array<number>(K).fill(0);
    const totalPer = new Array<number>(K).fill(0);
    let correct = 0;
    const t0 = performance.now();
    for (let start = 0; start < n; start += batch) {
      const b = Math.min(batch, n - start);
      const x = new Float32Array(b * H * W * C);
      for (let i = 0; i < b; i++) {
        const px = images.data.subarray((start + i) * rows * cols, (start + i + 1) * rows * cols);
        x.set(preprocessGray(px, cols, rows, model.config.preprocess, model.inputShape), i * H * W * C);
      }
      const input = tf.tensor4d(x, [b, H, W, C]);
      const logits = model.logits(input);
      const pred = tf.argMax(logits, 1);
      const [idx, values] = await Promise.all([pred.data(), logits.data()]);
      tf.dispose([input, logits, pred]);
      // An argmax over NaNs is a number too: a non-finite output is an error, not an accuracy.
      const bad = firstNonFinite(values);
      if (bad >= 0) throw new InputError(`the model's output for test image ${start + Math.floor(bad / K)} is not finite (NaN or infinity): the weights in --model ${dir} hold non-finite values`);
      for (let i = 0; i < b; i++) {
        const y = labels.data[start + i]!;
        if (y >= K) throw new InputError(`label ${y} is outside the model's ${K} classes`);
        totalPer[y]!++;
        if (idx[i] === y) {
          correct++;
          correctPer[y]!++;
        }
      }
      const done = start + b;
      const secs = (performance.now() - t0) / 1000;
      err(`eval: ${done}/${n} images, ${((100 * correct) / done).toFixed(2)}% so far, ${(done / secs).toFixed(0)} img/s${process.stderr.isTTY ? '\r' : '\n'}`);
    }
    if (process.stderr.isTTY) err('\n');
    const perClass = model.labels.map((label, k) => ({
      index: k,
      label,
      correct: correctPer[k]!,
      total: totalPer[k]!,
      accuracy: totalPer[k] ? correctPer[k]! / totalPer[k]! : null,
    }));
    if (bool(p, 'json')) {
      out(JSON.stringify({ model: model.arch, accuracy: correct / n, correct, total: n, perClass }));
      return;
    }
    out(`${model.arch}: accuracy ${((100 * correct) / n).toFixed(2)}% (${correct}/${n})`);
    const shown = model.labels.map((l) => printable(l, 60)); // labels come from model.json
    const w = Math.max(...shown.map((l) => l.length));
    for (const c of perClass) {
      out(`  ${String(c.index).padStart(2)} ${shown[c.index]!.padEnd(w)}  ${c.accuracy === null ? '   n/a' : `${(100 * c.accuracy).toFixed(2).padStart(6)}%`}  (${c.correct}/${c.total})`);
    }
  } finally {
    model.dispose();
  }
}
