import * as tf from '@tensorflow/tfjs-core';
import { extname } from 'node:path';
import type { GhostNetModel, TopK } from '../../src/model/index.js';
import { printable } from '../../src/model/checkpoint/errors.js';
import { MAX_SOURCE_SIDE } from '../../src/lib/image-input.js';
import { bool, CliError, InputError, multi, parseArgs, required, str } from './args.js';
import { out } from './output.js';
import { parseBackend, useBackend } from './backend.js';
import { readModelDir, readUserFile } from './fsio.js';
import { decodeImage, expandInputs } from './images.js';
import { firstNonFinite, loadNpy, NPY_SIDE_FACTOR } from './inputs.js';
import { MAX_NPY_ELEMENTS } from '../../src/model/npy.js';

/** A .npy batch runs through the model this many input-sized items at a time (fewer if larger). */
const CHUNK = 32;

export const help = `Usage: ghostlab predict --model DIR --input FILE... [options]

Classifies images with a converted model. Each FILE is a PNG/JPEG (the model's own
preprocessing applies), a directory of them, or a .npy float32 array in PyTorch's NCHW
layout used as is (no preprocessing; each row of a batch is one item).

Limits: images up to ${MAX_SOURCE_SIDE}×${MAX_SOURCE_SIDE} px (read from the header before
decoding); a .npy file up to ${MAX_NPY_ELEMENTS.toLocaleString('en-US')} values, each item up to
${NPY_SIDE_FACTOR}× the model's input side. A non-finite (NaN/Inf) output is an error.
Exit status: 0 done, 1 bad input or model, 2 bad command line.

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
  if (bool(p, 'help')) return void out(help);
  if (p.positional.length) throw new CliError(`unexpected argument '${p.positional[0]}' (inputs go after --input)`);
  const dir = required(p, 'model');
  const inputs = multi(p, 'input');
  if (!inputs.length) throw new CliError('--input is required');
  const files = expandInputs(inputs);
  await useBackend(parseBackend(str(p, 'backend')));
  const model = readModelDir(dir);
  const rows: Row[] = [];
  const push = (file: string, logits: number[], top5: TopK[]) => {
    if (firstNonFinite(logits) >= 0) {
      throw new InputError(`the model's output for ${printable(file)} is not finite (NaN or infinity): the weights in --model ${printable(dir)} or the input hold non-finite values`);
    }
    rows.push({ file, logits, top5 });
  };
  try {
    for (const f of files) {
      const bytes = readUserFile(f, 'input');
      if (extname(f).toLowerCase() === '.npy') {
        const { data, shape, batched } = loadNpy(bytes, f, model);
        const [n, h, w, c] = shape;
        const item = h * w * c;
        // Memory follows pixels, not rows: 32 items of the model's size, or fewer larger ones.
        const rowsPerRun = Math.max(1, Math.floor((CHUNK * model.inputShape[0] * model.inputShape[1]) / (h * w)));
        for (let start = 0; start < n; start += rowsPerRun) {
          const b = Math.min(rowsPerRun, n - start);
          const x = tf.tensor4d(data.subarray(start * item, (start + b) * item), [b, h, w, c]);
          const r = await runBatch(model, x);
          r.logits.forEach((l, i) => push(batched && n > 1 ? `${f}[${start + i}]` : f, l, r.top[i]!));
        }
      } else {
        const img = decodeImage(bytes, f);
        const r = await runBatch(model, model.toInput(img));
        push(f, r.logits[0]!, r.top[0]!);
      }
    }
  } finally {
    model.dispose();
  }
  if (bool(p, 'json')) {
    out(JSON.stringify({ files: rows.map((r) => r.file), logits: rows.map((r) => r.logits), top5: rows.map((r) => r.top5) }));
    return;
  }
  for (const r of rows) {
    // File names and labels come from disk and model.json: escaped, so they cannot drive a terminal.
    out(`${printable(r.file, 400)}: ${r.top5.map((t) => `${printable(t.label, 60)} (#${t.index}) ${(t.p * 100).toFixed(1)}%`).join(' | ')}`);
  }
}
