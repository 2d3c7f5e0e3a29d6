import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { readCheckpoint } from '../../src/model/checkpoint/index.js';
import { ARCH_IDS, fromCheckpoint } from '../../src/model/index.js';
import { bool, CliError, int, parseArgs, required, str } from './args.js';
import { parseBackend, useBackend } from './backend.js';
import { writeDirAtomic } from './fsio.js';

export const help = `Usage: ghostlab convert CHECKPOINT --arch ARCH --out DIR [options]

Converts a PyTorch checkpoint (.pth/.pt from torch.save, or .safetensors; official or timm
key names) into DIR/model.json + weight shards (standard tfjs weights manifest).

Options:
  --arch ARCH          one of: ${ARCH_IDS.join(', ')}
  --out DIR            output directory (written atomically; must not exist or be empty)
  --num-classes N      classifier size when it differs from the layout's (1000 / 10)
  --quantize float16   store weights as float16 (half the size)
  --force              replace a non-empty DIR
  --backend wasm|cpu   tfjs backend (default wasm)
  --help               this text`;

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, {
    arch: 'string', out: 'string', 'num-classes': 'string', quantize: 'string', force: 'boolean', backend: 'string', help: 'boolean',
  });
  if (bool(p, 'help')) return void console.log(help);
  if (p.positional.length !== 1) throw new CliError('give exactly one CHECKPOINT file');
  const file = p.positional[0]!;
  const arch = required(p, 'arch');
  const out = required(p, 'out');
  if (!ARCH_IDS.includes(arch)) throw new CliError(`unknown --arch '${arch}' (known: ${ARCH_IDS.join(', ')})`);
  const numClasses = int(p, 'num-classes', { min: 1 });
  const quantize = str(p, 'quantize');
  if (quantize !== undefined && quantize !== 'float16') throw new CliError(`--quantize supports only float16 (got '${quantize}')`);
  if (!existsSync(file) || !statSync(file).isFile()) throw new CliError(`checkpoint ${file} does not exist`);
  await useBackend(parseBackend(str(p, 'backend')));

  const ckpt = readCheckpoint(new Uint8Array(readFileSync(file)), basename(file));
  const model = fromCheckpoint(ckpt.tensors, arch, numClasses === undefined ? {} : { numClasses });
  try {
    const { modelJson, shards } = model.toArtifacts({ quantize: quantize as 'float16' | undefined, source: basename(file) });
    writeDirAtomic(out, [{ path: 'model.json', bytes: JSON.stringify(modelJson, null, 1) }, ...shards], bool(p, 'force'));
    const bytes = shards.reduce((a, s) => a + s.bytes.length, 0);
    console.log(
      `${basename(file)} (${ckpt.format}) → ${out}/model.json: ${arch}, ${model.numClasses} classes, ` +
        `${model.numParams.toLocaleString('en-US')} parameters, ${shards.length} shard(s), ${(bytes / 1e6).toFixed(2)} MB` +
        `${quantize ? ' float16' : ''}; ${ckpt.ignored.length} bookkeeping entries ignored`,
    );
  } finally {
    model.dispose();
  }
}
