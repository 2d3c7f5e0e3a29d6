import * as tf from '@tensorflow/tfjs-core';
import { ARCH_IDS, buildSpec, calibrateBatchNorm, GhostNetModel, randomWeights, resolveConfig, type WeightSet } from '../../src/model/index.js';
import { bool, CliError, int, multi, parseArgs, str, type Parsed } from './args.js';
import { err, out } from './output.js';
import { NODE_BACKENDS, parseBackend, useBackend, type NodeBackend } from './backend.js';
import { spread } from '../stats.js';
import { benchLayer, formatLayerBench, parseLayer } from './bench-layer.js';

export const help = `Usage: ghostlab bench [options]
       ghostlab bench --layer c=128,n=128,h=28,w=28,k=3,s=2,d=3 [--backend B] [options]

Inference latency of GhostNet V1 and V2 (random weights) on the Node tfjs backends:
batch 1, the folded/fused path, median and interquartile range of timed runs after
warm-up, and the V2/V1 and cpu/wasm ratios of the medians.

With --layer: one ordinary k×k conv (c → n channels, output h×w) against its Ghost
module (ratio s, cheap d×d depthwise), both with BatchNorm folded as in the models'
fast path; the measured speed-up (conv/ghost medians) next to the theoretical r_s of
the speed-up calculator, in wall-clock and in process CPU time (steadier on a busy
machine). On wasm the module as it ran before, joining its maps with tf.concat, is
timed alongside. Symbols left out take the calculator's defaults. --json prints
{"theoretical", "conv": {"medianMs", ...}, "ghost": {"medianMs", ...}, "measured", ...}.

Options:
  --layer SPEC         c=,n=,h=,w=,k=,s=,d= (k and d odd, s >= 2)
  --arch ID...         models (default ghostnet_100 ghostnetv2_100)
  --backend B...       backends (default: ${NODE_BACKENDS.join(' ')}; with --layer one, default wasm)
  --runs N             timed runs per model and backend (default 10; 30 with --layer)
  --warmup N           untimed runs first (default 2; 5 with --layer)
  --input H            input height = width (default 224)
  --json               print the measurements as JSON
  --help               this text`;

export interface Stat {
  backend: string;
  arch: string;
  runs: number;
  median: number;
  min: number;
  max: number;
  p25: number;
  p75: number;
}

/** One batch-1 inference on the folded path, read-back included. */
export async function timeInference(model: GhostNetModel, x: tf.Tensor4D): Promise<number> {
  const t0 = performance.now();
  const y = model.logits(x);
  await y.data();
  const ms = performance.now() - t0;
  y.dispose();
  return ms;
}

/** Random weights with BN calibrated (on the current backend) so activations are realistic. */
export function benchWeights(arch: string, input: number): WeightSet {
  const spec = buildSpec(resolveConfig(arch, { input }));
  return calibrateBatchNorm(spec, randomWeights(spec, 1), 1);
}

const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

export function formatBench(stats: Stat[], archs: string[], backends: string[], input: number, warmup: number): string {
  const cell = (s: Stat | undefined) => (s ? `${f(s.median)} ms [${f(s.p25)}–${f(s.p75)}]` : 'n/a');
  const get = (b: string, a: string) => stats.find((s) => s.backend === b && s.arch === a);
  const head = ['backend', ...archs, ...archs.slice(1).map((a) => `${a}/${archs[0]}`)];
  const rows = backends.map((b) => [
    b,
    ...archs.map((a) => cell(get(b, a))),
    ...archs.slice(1).map((a) => {
      const x = get(b, a);
      const y = get(b, archs[0]!);
      return x && y ? `${(x.median / y.median).toFixed(2)}×` : 'n/a';
    }),
  ]);
  for (const b of backends.slice(1)) {
    rows.push([
      `${b}/${backends[0]}`,
      ...archs.map((a) => {
        const x = get(b, a);
        const y = get(backends[0]!, a);
        return x && y ? `${(x.median / y.median).toFixed(2)}×` : 'n/a';
      }),
      ...archs.slice(1).map(() => ''),
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join(' | ');
  const runs = stats[0]?.runs ?? 0;
  return [
    `GhostNet inference latency, batch 1, ${input}×${input}: median [interquartile range] of ${runs} runs after ${warmup} warm-up (min/max in --json)`,
    line(head),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
  ].join('\n');
}

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, {
    layer: 'string', arch: 'multi', backend: 'multi', runs: 'string', warmup: 'string', input: 'string', json: 'boolean', help: 'boolean',
  });
  if (bool(p, 'help')) return void out(help);
  if (p.positional.length) throw new CliError(`unexpected argument '${p.positional[0]}'`);
  const layer = str(p, 'layer');
  if (layer !== undefined) return runLayer(p, layer);
  const archs = multi(p, 'arch').flatMap((a) => a.split(',')).filter(Boolean);
  if (!archs.length) archs.push('ghostnet_100', 'ghostnetv2_100');
  for (const a of archs) if (!ARCH_IDS.includes(a)) throw new CliError(`unknown --arch '${a}' (known: ${ARCH_IDS.join(', ')})`);
  const backends: NodeBackend[] = (multi(p, 'backend').flatMap((b) => b.split(',')).filter(Boolean) as string[]).map(parseBackend);
  if (!backends.length) backends.push(...NODE_BACKENDS);
  const runs = int(p, 'runs', { min: 1, max: 10000 }) ?? 10;
  const warmup = int(p, 'warmup', { min: 0, max: 1000 }) ?? 2;
  const input = int(p, 'input', { min: 8, max: 1024 }) ?? 224;

  // Same weights on every backend.
  await useBackend('wasm');
  const weights = new Map<string, WeightSet>();
  for (const a of archs) weights.set(a, benchWeights(a, input));
  const stats: Stat[] = [];
  for (const b of backends) {
    await useBackend(b);
    for (const a of archs) {
      const model = new GhostNetModel(resolveConfig(a, { input }), weights.get(a)!);
      const [h, w, c] = model.inputShape;
      const x = tf.randomNormal([1, h, w, c], 0, 1, 'float32', 7) as tf.Tensor4D;
      try {
        for (let i = 0; i < warmup; i++) await timeInference(model, x);
        const ms: number[] = [];
        for (let i = 0; i < runs; i++) ms.push(await timeInference(model, x));
        const { median, min, max, p25, p75 } = spread(ms)!;
        const s: Stat = { backend: b, arch: a, runs, median, min, max, p25, p75 };
        stats.push(s);
        err(`bench: ${b} ${a}: median ${f(s.median)} ms\n`);
      } finally {
        x.dispose();
        model.dispose();
      }
    }
  }
  out(bool(p, 'json') ? JSON.stringify({ input, batch: 1, warmup, stats }) : formatBench(stats, archs, backends, input, warmup));
}

async function runLayer(p: Parsed, spec: string): Promise<void> {
  for (const f of ['arch', 'input']) if (p.flags.has(f)) throw new CliError(`--${f} does not apply to --layer`);
  const g = parseLayer(spec);
  const named = multi(p, 'backend').flatMap((b) => b.split(',')).filter(Boolean);
  if (named.length > 1) throw new CliError(`--layer times one backend at a time (got ${named.join(', ')})`);
  const backend = parseBackend(named[0]);
  const runs = int(p, 'runs', { min: 1, max: 10000 }) ?? 30;
  const warmup = int(p, 'warmup', { min: 0, max: 1000 }) ?? 5;
  await useBackend(backend);
  const r = await benchLayer(g, backend, runs, warmup);
  out(bool(p, 'json') ? JSON.stringify(r) : formatLayerBench(r));
}
