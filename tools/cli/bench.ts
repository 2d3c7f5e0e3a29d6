import * as tf from '@tensorflow/tfjs-core';
import { ARCH_IDS, buildSpec, calibrateBatchNorm, GhostNetModel, randomWeights, resolveConfig, type WeightSet } from '../../src/model/index.js';
import { bool, CliError, int, multi, parseArgs } from './args.js';
import { err, out } from './output.js';
import { NODE_BACKENDS, parseBackend, useBackend, type NodeBackend } from './backend.js';
import { spread } from '../stats.js';

export const help = `Usage: ghostlab bench [options]

Inference latency of GhostNet V1 and V2 (random weights) on the Node tfjs backends:
batch 1, the folded/fused path, median and interquartile range of timed runs after
warm-up, and the V2/V1 and cpu/wasm ratios of the medians.

Options:
  --arch ID...         models (default ghostnet_100 ghostnetv2_100)
  --backend B...       backends (default: ${NODE_BACKENDS.join(' ')})
  --runs N             timed runs per model and backend (default 10)
  --warmup N           untimed runs first (default 2)
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

async function time(model: GhostNetModel, x: tf.Tensor4D): Promise<number> {
  const t0 = performance.now();
  const y = model.logits(x);
  await y.data();
  const ms = performance.now() - t0;
  y.dispose();
  return ms;
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
  const p = parseArgs(argv, { arch: 'multi', backend: 'multi', runs: 'string', warmup: 'string', input: 'string', json: 'boolean', help: 'boolean' });
  if (bool(p, 'help')) return void out(help);
  if (p.positional.length) throw new CliError(`unexpected argument '${p.positional[0]}'`);
  const archs = multi(p, 'arch').flatMap((a) => a.split(',')).filter(Boolean);
  if (!archs.length) archs.push('ghostnet_100', 'ghostnetv2_100');
  for (const a of archs) if (!ARCH_IDS.includes(a)) throw new CliError(`unknown --arch '${a}' (known: ${ARCH_IDS.join(', ')})`);
  const backends: NodeBackend[] = (multi(p, 'backend').flatMap((b) => b.split(',')).filter(Boolean) as string[]).map(parseBackend);
  if (!backends.length) backends.push(...NODE_BACKENDS);
  const runs = int(p, 'runs', { min: 1, max: 10000 }) ?? 10;
  const warmup = int(p, 'warmup', { min: 0, max: 1000 }) ?? 2;
  const input = int(p, 'input', { min: 8, max: 1024 }) ?? 224;

  // Same weights on every backend; BN calibrated once (on wasm) so activations are realistic.
  await useBackend('wasm');
  const weights = new Map<string, WeightSet>();
  for (const a of archs) {
    const spec = buildSpec(resolveConfig(a, { input }));
    weights.set(a, calibrateBatchNorm(spec, randomWeights(spec, 1), 1));
  }
  const stats: Stat[] = [];
  for (const b of backends) {
    await useBackend(b);
    for (const a of archs) {
      const model = new GhostNetModel(resolveConfig(a, { input }), weights.get(a)!);
      const [h, w, c] = model.inputShape;
      const x = tf.randomNormal([1, h, w, c], 0, 1, 'float32', 7) as tf.Tensor4D;
      try {
        for (let i = 0; i < warmup; i++) await time(model, x);
        const ms: number[] = [];
        for (let i = 0; i < runs; i++) ms.push(await time(model, x));
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
