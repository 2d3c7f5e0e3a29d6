import * as tf from '@tensorflow/tfjs-core';
import { extname } from 'node:path';
import { printable } from '../../src/model/checkpoint/errors.js';
import { bool, CliError, InputError, parseArgs, required, str } from './args.js';
import { out } from './output.js';
import { parseBackend, useBackend } from './backend.js';
import { readModelDir, readUserFile } from './fsio.js';
import { decodeImage } from './images.js';
import { firstNonFinite, loadNpy } from './inputs.js';

export const help = `Usage: ghostlab inspect --model DIR --input FILE --tap NAME [--json]
       ghostlab inspect --model DIR --list [--json]

Prints one tap's tensor (an intermediate feature map, e.g. blocks.3.0.ghost1.intrinsic) for
one input, so any map can be taken into other tools. FILE is a PNG/JPEG (the model's own
preprocessing applies) or a .npy NCHW float32 array with one item, used as is. The forward
is the unfolded one (conv, then BatchNorm), as the lab's maps are.

Options:
  --model DIR          directory with model.json (from ghostlab convert)
  --input FILE         one image or .npy item
  --tap NAME           the tap to print (see --list)
  --list               list the model's tap names in forward order
  --json               print {"tap", "shape", "values"}: shape in NHWC order
                       ([N, H, W, C]; [N, C] for logits), values flat and row-major,
                       so values[((n*H + y)*W + x)*C + c] is channel c at (y, x)
  --backend wasm|cpu   tfjs backend (default wasm)
  --help               this text

Exit status: 0 done, 1 bad input or model (or a non-finite value), 2 bad command line.`;

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, { model: 'string', input: 'string', tap: 'string', list: 'boolean', json: 'boolean', backend: 'string', help: 'boolean' });
  if (bool(p, 'help')) return void out(help);
  if (p.positional.length) throw new CliError(`unexpected argument '${printable(p.positional[0]!, 60)}'`);
  const dir = required(p, 'model');
  const list = bool(p, 'list');
  if (list && (p.flags.has('tap') || p.flags.has('input'))) throw new CliError('--list takes no --tap or --input');
  const tap = list ? undefined : required(p, 'tap');
  const input = list ? undefined : required(p, 'input');
  await useBackend(parseBackend(str(p, 'backend')));
  const model = readModelDir(dir);
  try {
    if (list) {
      out(bool(p, 'json') ? JSON.stringify({ model: model.arch, taps: model.tapNames }) : model.tapNames.join('\n'));
      return;
    }
    if (!model.tapNames.includes(tap!)) throw new CliError(`unknown --tap '${printable(tap!, 80)}' for ${model.arch} (ghostlab inspect --model ${printable(dir)} --list shows them)`);
    const bytes = readUserFile(input!, 'input');
    let x: tf.Tensor4D;
    if (extname(input!).toLowerCase() === '.npy') {
      const { data, shape } = loadNpy(bytes, input!, model);
      if (shape[0] !== 1) throw new InputError(`${printable(input!)} holds ${shape[0]} items; inspect takes one`);
      x = tf.tensor4d(data, shape);
    } else {
      x = model.toInput(decodeImage(bytes, input!));
    }
    const r = model.inspect(x, [tap!]);
    try {
      const t = r.taps.get(tap!)!;
      const values = await t.data();
      const bad = firstNonFinite(values);
      if (bad >= 0) throw new InputError(`tap ${tap} holds a non-finite value (${values[bad]} at index ${bad}) for ${printable(input!)}`);
      const shape = [...t.shape];
      if (bool(p, 'json')) {
        out(JSON.stringify({ tap, shape, values: Array.from(values) }));
      } else {
        let min = Infinity;
        let max = -Infinity;
        let sum = 0;
        for (const v of values) {
          min = Math.min(min, v);
          max = Math.max(max, v);
          sum += v;
        }
        const f = (v: number) => v.toPrecision(4);
        out(`${tap}: shape [${shape.join(', ')}] (NHWC), ${values.length} values, min ${f(min)}, max ${f(max)}, mean ${f(sum / values.length)} (--json for the values)`);
      }
    } finally {
      r.dispose();
      x.dispose();
    }
  } finally {
    model.dispose();
  }
}
