import { basename } from 'node:path';
import { scanCheckpoint, type RawTensor } from '../../src/model/checkpoint/index.js';
import { printable } from '../../src/model/checkpoint/errors.js';
import { assertCheckpointFits } from '../../src/model/key-map.js';
import { ARCH_IDS, buildSpec, fromCheckpoint, resolveConfig } from '../../src/model/index.js';
import { bool, CliError, int, parseArgs, required, str } from './args.js';
import { out } from './output.js';
import { parseBackend, useBackend } from './backend.js';
import { checkOutDir, readUserFile, writeDirAtomic } from './fsio.js';

export const help = `Usage: ghostlab convert CHECKPOINT --arch ARCH --out DIR [options]

Converts a PyTorch checkpoint (.pth/.pt from torch.save, or .safetensors; official or timm
key names) into DIR/model.json + weight shards (standard tfjs weights manifest).

Options:
  --arch ARCH          one of: ${ARCH_IDS.join(', ')}
  --out DIR            output directory (written atomically; must not exist or be empty)
  --num-classes N      classifier size when it differs from the layout's (1000 / 10)
  --quantize float16   store weights as float16 (half the size)
  --force              replace DIR if it holds a converted model and nothing else
  --backend wasm|cpu   tfjs backend (default wasm)
  --help               this text

Names and shapes are checked against ARCH before any weight is decoded; weights must be
floating point and finite. Exit status: 0 done, 1 bad checkpoint, 2 bad command line.`;

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, {
    arch: 'string', out: 'string', 'num-classes': 'string', quantize: 'string', force: 'boolean', backend: 'string', help: 'boolean',
  });
  if (bool(p, 'help')) return void out(help);
  if (p.positional.length !== 1) throw new CliError('give exactly one CHECKPOINT file');
  const file = p.positional[0]!;
  const arch = required(p, 'arch');
  const outDir = required(p, 'out');
  if (!ARCH_IDS.includes(arch)) throw new CliError(`unknown --arch '${arch}' (known: ${ARCH_IDS.join(', ')})`);
  const numClasses = int(p, 'num-classes', { min: 1 });
  const quantize = str(p, 'quantize');
  if (quantize !== undefined && quantize !== 'float16') throw new CliError(`--quantize supports only float16 (got '${quantize}')`);
  const backend = parseBackend(str(p, 'backend'));
  const writeOptions = { force: bool(p, 'force'), keep: [file] };
  checkOutDir(outDir, writeOptions);
  const bytes = readUserFile(file, 'checkpoint');
  await useBackend(backend);

  // Names, shapes and dtypes first: a tiny file may describe gigabytes, and nothing is decoded
  // until it fits the architecture (the decoded values are then checked to be finite).
  const overrides = numClasses === undefined ? {} : { numClasses };
  const ckpt = scanCheckpoint(bytes, basename(file));
  assertCheckpointFits(ckpt.tensors, buildSpec(resolveConfig(arch, overrides)));
  const tensors = new Map<string, RawTensor>();
  for (const [name, t] of ckpt.tensors) tensors.set(name, { name, dtype: t.dtype, shape: t.shape, data: t.decode() });
  const model = fromCheckpoint(tensors, arch, overrides);
  const label = printable(basename(file));
  try {
    const { modelJson, shards } = model.toArtifacts({ quantize: quantize as 'float16' | undefined, source: basename(file) });
    writeDirAtomic(outDir, [{ path: 'model.json', bytes: JSON.stringify(modelJson, null, 1) }, ...shards], writeOptions);
    const size = shards.reduce((a, s) => a + s.bytes.length, 0);
    out(
      `${label} (${ckpt.format}) → ${printable(outDir)}/model.json: ${arch}, ${model.numClasses} classes, ` +
        `${model.numParams.toLocaleString('en-US')} parameters, ${shards.length} shard(s), ${(size / 1e6).toFixed(2)} MB` +
        `${quantize ? ' float16' : ''}; ${ckpt.ignored.length} bookkeeping entries ignored`,
    );
  } finally {
    model.dispose();
  }
}
