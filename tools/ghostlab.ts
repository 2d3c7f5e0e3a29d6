/**
 * ghostlab: the GhostNet Lab command line. Thin verbs over src/model; every error ends as
 * one line on stderr and a non-zero exit code (2 for usage errors, 1 otherwise).
 */
import { CliError } from './cli/args.js';

type Verb = { help: string; run(argv: string[]): Promise<void> };

const VERBS: Record<string, () => Promise<Verb>> = {
  convert: () => import('./cli/convert.js'),
  predict: () => import('./cli/predict.js'),
  cost: () => import('./cli/cost.js'),
  eval: () => import('./cli/eval.js'),
  bench: () => import('./cli/bench.js'),
};

const usage = `Usage: ghostlab <verb> [options]   (ghostlab <verb> --help for details)

Verbs:
  convert   PyTorch checkpoint (.pth/.safetensors) → tfjs weights (model.json + shards)
  predict   classify images or .npy arrays with a converted model
  cost      parameters and MACs per layer (GhostNets and reference nets)
  eval      accuracy on the Fashion-MNIST test split
  bench     inference latency of GhostNet V1 vs V2 on the Node backends`;

function oneLine(msg: string): string {
  return msg.replace(/\s*\n\s*/g, ' ').trim();
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(usage);
    return 0;
  }
  if (!verb) {
    process.stderr.write(`ghostlab: missing verb (one of: ${Object.keys(VERBS).join(', ')}); see ghostlab --help\n`);
    return 2;
  }
  const load = VERBS[verb];
  if (!load) {
    process.stderr.write(`ghostlab: unknown verb '${verb}' (one of: ${Object.keys(VERBS).join(', ')})\n`);
    return 2;
  }
  try {
    await (await load()).run(rest);
    return 0;
  } catch (e) {
    const err = e as Error & { code?: string };
    const msg = err instanceof Error ? err.message : String(e);
    process.stderr.write(`ghostlab ${verb}: ${oneLine(msg)}\n`);
    if (process.env.GHOSTLAB_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return err instanceof CliError ? 2 : 1;
  }
}

const code = await main(process.argv.slice(2));
process.exit(code);
