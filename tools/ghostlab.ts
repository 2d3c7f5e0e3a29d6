/**
 * ghostlab: the GhostNet Lab command line. Thin verbs over src/model; every error ends as
 * one line on stderr and a non-zero exit code (2 for usage errors, 1 for bad content).
 */
import { printable } from '../src/model/checkpoint/errors.js';
import { CliError, systemErrorMessage } from './cli/args.js';
import { err, flushed, out } from './cli/output.js';

type Verb = { help: string; run(argv: string[]): Promise<void> };

const VERBS: Record<string, () => Promise<Verb>> = {
  convert: () => import('./cli/convert.js'),
  predict: () => import('./cli/predict.js'),
  cost: () => import('./cli/cost.js'),
  eval: () => import('./cli/eval.js'),
  bench: () => import('./cli/bench.js'),
  inspect: () => import('./cli/inspect.js'),
};

const usage = `Usage: ghostlab <verb> [options]   (ghostlab <verb> --help for details)

Verbs:
  convert   PyTorch checkpoint (.pth/.safetensors) → tfjs weights (model.json + shards)
  predict   classify images or .npy arrays with a converted model
  cost      parameters and MACs per layer (GhostNets and reference nets)
  eval      accuracy on the Fashion-MNIST test split
  bench     inference latency of GhostNet V1 vs V2 on the Node backends
  inspect   one intermediate tensor (a tap) for one input, or --list the taps

Exit status: 0 done, 1 bad content (checkpoint, image, .npy, model), 2 bad command line.`;

/** Longest error line printed; the messages name their file first, so the start is what matters. */
const MAX_MESSAGE = 500;

/** One line, control characters escaped (a file-derived name cannot drive the terminal), bounded. */
function oneLine(msg: string): string {
  return printable(msg.replace(/\s*\n\s*/g, ' ').trim(), MAX_MESSAGE);
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    out(usage);
    return 0;
  }
  if (!verb) {
    err(`ghostlab: missing verb (one of: ${Object.keys(VERBS).join(', ')}); see ghostlab --help\n`);
    return 2;
  }
  const load = VERBS[verb];
  if (!load) {
    err(`ghostlab: unknown verb '${printable(verb, 40)}' (one of: ${Object.keys(VERBS).join(', ')})\n`);
    return 2;
  }
  try {
    await (await load()).run(rest);
    return 0;
  } catch (e) {
    const msg = systemErrorMessage(e) ?? (e instanceof Error ? e.message : String(e));
    err(`ghostlab ${verb}: ${oneLine(msg)}\n`);
    if (process.env.GHOSTLAB_DEBUG && e instanceof Error) err(`${e.stack}\n`);
    return e instanceof CliError ? 2 : 1;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Exit only once stdout and stderr have drained (tfjs may hold the event loop open otherwise).
await flushed();
process.exit(code);
