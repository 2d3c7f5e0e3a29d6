import * as tf from '@tensorflow/tfjs-core';
import { basename, extname } from 'node:path';
import type { GhostNetModel, TopK } from '../../src/model/index.js';
import { bool, CliError, multi, parseArgs, required, str } from './args.js';
import { parseBackend, useBackend } from './backend.js';
import { readModelDir } from './fsio.js';
import { decodeImage, expandInputs, readBytes } from './images.js';
import { nchwToNhwc, parseNpy } from './npy.js';

export const help = `Usage: ghostlab predict --model DIR --input FILE... [options]

Classifies images with a converted model. Each FILE is a PNG/JPEG (the model's own
preprocessing applies), a directory of them, or a .npy float32 array in PyTorch's NCHW
layout used as is (no preprocessing; each row of a batch is one item).

Options:
  --model DIR          directory with model.json (from ghostlab convert)
  --input FILE...      images, directories or .npy files
  --json               print {"files", "logits", "top5"} as one JSON object
  --backend wasm|cpu   tfjs backend (default wasm)
  --help               this text`;

interface Row {
  file: string;
  logits: number[];
  top5: TopK[];
}

async function runBatch(model: GhostNetModel, x: tf.Tensor4D): Promise<{ logits: number[][]; top: TopK[][] }> {
  try {
    const r = await model.predict(x, { topk: 5 });
    return { logits: r.logits, top: r.top };
  } finally {
    x.dispose();
  }
}

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, { model: 'string', input: 'multi', json: 'boolean', backend: 'string', help: 'boolean' });
  if (bool(p, 'help')) return void console.log(help);
  if (p.positional.length) throw new CliError(`unexpected argument '${p.positional[0]}' (inputs go after --input)`);
  const dir = required(p, 'model');
  const inputs = multi(p, 'input');
  if (!inputs.length) throw new CliError('--input is required');
  const files = expandInputs(inputs);
  await useBackend(parseBackend(str(p, 'backend')));
  const model = readModelDir(dir);
  const rows: Row[] = [];
  try {
    const [, , C] = model.inputShape;
    for (const f of files) {
      const bytes = readBytes(f);
      if (extname(f).toLowerCase() === '.npy') {
        const arr = parseNpy(bytes, basename(f));
        const shape = arr.shape.length === 3 ? [1, ...arr.shape] : arr.shape;
        if (shape.length !== 4) throw new CliError(`${f} has shape (${arr.shape}); expected NCHW (N, ${C}, H, W) or (${C}, H, W)`);
        const [n, c, h, w] = shape as [number, number, number, number];
        if (c !== C) throw new CliError(`${f} has ${c} channel(s) but ${model.arch} takes ${C} (NCHW layout expected)`);
        if (n === 0) throw new CliError(`${f} holds an empty batch`);
        const x = tf.tensor4d(nchwToNhwc(arr.data, shape), [n, h, w, c]);
        const r = await runBatch(model, x);
        r.logits.forEach((l, i) => rows.push({ file: arr.shape.length === 4 && n > 1 ? `${f}[${i}]` : f, logits: l, top5: r.top[i]! }));
      } else {
        const img = decodeImage(bytes, f);
        const r = await runBatch(model, model.toInput(img));
        rows.push({ file: f, logits: r.logits[0]!, top5: r.top[0]! });
      }
    }
  } finally {
    model.dispose();
  }
  if (bool(p, 'json')) {
    console.log(JSON.stringify({ files: rows.map((r) => r.file), logits: rows.map((r) => r.logits), top5: rows.map((r) => r.top5) }));
    return;
  }
  for (const r of rows) {
    console.log(`${r.file}: ${r.top5.map((t) => `${t.label} (#${t.index}) ${(t.p * 100).toFixed(1)}%`).join(' | ')}`);
  }
}
