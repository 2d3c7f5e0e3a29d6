/**
 * `ghostlab bench --layer c=,n=,h=,w=,k=,s=,d=`: one ordinary k×k convolution (c → n channels,
 * output h'×w') against the Ghost module that replaces it, both built by the library's own spec
 * builder (ghostModuleSpec: the plain twin is the ordinary conv) with random weights, BatchNorm
 * folded and run by the same folded ops as the models' fast path. The theoretical speed-up is the
 * speed-up calculator's r_s (theory.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { foldWeights } from '../../src/model/fold.js';
import { ghostModule, ghostModuleSpec, preferredJoin, type ChannelJoin } from '../../src/model/ghost-module.js';
import { foldedOps, type TensorMap } from '../../src/model/ops.js';
import { ghostUnits, type GhostModuleSpec } from '../../src/model/spec.js';
import { GHOST_DEFAULTS, GHOST_LIMITS, ghostModuleCost, type GhostInputs } from '../../src/model/theory.js';
import { randomWeights } from '../../src/model/weights.js';
import { spread, type Spread } from '../stats.js';
import { CliError } from './args.js';

/** Largest tensor (input, output or kernel) the bench allocates, in floats: 256 MB each. */
const MAX_FLOATS = 64 * 1024 * 1024;

/** The --layer symbols, in the order of the usage line. */
const LAYER_ORDER = ['c', 'n', 'h', 'w', 'k', 's', 'd'] as const satisfies readonly (keyof GhostInputs)[];

/**
 * Parses `c=128,n=128,h=28,w=28,k=3,s=2,d=3`. Missing symbols take the calculator's defaults;
 * anything else wrong (unknown or repeated symbol, not a positive integer, even kernel, s < 2,
 * a tensor too large) is a usage error with one line saying what.
 */
export function parseLayer(text: string): GhostInputs {
  const g: GhostInputs = { ...GHOST_DEFAULTS };
  const seen = new Set<string>();
  const known = LAYER_ORDER.join(', ');
  for (const part of text.split(',')) {
    const item = part.trim();
    if (!item) throw new CliError(`--layer: empty item in '${text}' (expected e.g. c=128,n=128,h=28,w=28,k=3,s=2,d=3)`);
    const eq = item.indexOf('=');
    if (eq < 0) throw new CliError(`--layer: '${item}' is not symbol=value (symbols: ${known})`);
    const key = item.slice(0, eq).trim();
    const raw = item.slice(eq + 1).trim();
    if (!(LAYER_ORDER as readonly string[]).includes(key)) throw new CliError(`--layer: unknown symbol '${key}' (symbols: ${known})`);
    if (seen.has(key)) throw new CliError(`--layer: ${key} is given twice`);
    seen.add(key);
    const k = key as keyof GhostInputs;
    if (!/^\d+$/.test(raw)) throw new CliError(`--layer: ${k} must be a positive integer (got '${raw}')`);
    const v = Number(raw);
    // The calculator's ranges (its lower bounds are all 1; s = 1 is refused below).
    if (v < 1 || v > GHOST_LIMITS[k].max) throw new CliError(`--layer: ${k} must be between 1 and ${GHOST_LIMITS[k].max} (got ${raw})`);
    g[k] = v;
  }
  // PyTorch pads k//2: only odd kernels keep the map size h'×w' (and the cheap operation's output
  // must match the primary conv's to be joined).
  if (g.k % 2 === 0) throw new CliError(`--layer: k must be odd (got ${g.k})`);
  if (g.d % 2 === 0) throw new CliError(`--layer: d must be odd (got ${g.d})`);
  if (g.s < 2) throw new CliError(`--layer: s must be at least 2 (s = 1 has no ghost maps; got ${g.s})`);
  const biggest = Math.max(g.c * g.h * g.w, g.n * g.h * g.w, g.c * g.n * g.k * g.k);
  if (biggest > MAX_FLOATS) throw new CliError(`--layer: a tensor of ${biggest} floats is too large for the bench (at most ${MAX_FLOATS})`);
  return g;
}

export const formatLayer = (g: GhostInputs): string => LAYER_ORDER.map((k) => `${k}=${g[k]}`).join(',');

/** A module ready to run: its spec, its folded weights on the current backend, how it joins maps. */
interface Runnable {
  spec: GhostModuleSpec;
  weights: TensorMap;
  join: ChannelJoin;
}

function build(spec: GhostModuleSpec, seed: number, join: ChannelJoin): Runnable {
  const units = ghostUnits(spec);
  const folded = foldWeights(units, randomWeights(units, seed));
  const weights: TensorMap = new Map();
  for (const [name, w] of folded) weights.set(name, tf.tensor(w.data, w.shape, 'float32'));
  return { spec, weights, join };
}

/**
 * One forward pass, read-back included (so no backend's asynchrony flatters it): wall-clock and
 * process CPU time. tfjs runs on one thread in Node, so CPU time leaves out the waits for a core
 * when other processes hold them, and its ratios are far steadier than wall-clock ones there.
 */
async function timeOnce(m: Runnable, x: tf.Tensor4D): Promise<[wall: number, cpu: number]> {
  const ops = foldedOps(m.weights);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const y = tf.tidy(() => ghostModule(x, m.spec, ops, m.join));
  await y.data();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  y.dispose();
  return [wall, (cpu.user + cpu.system) / 1000];
}

export interface LayerTiming extends Spread {
  /** Wall-clock median (ms); the other Spread fields are wall-clock too. */
  medianMs: number;
  /** Median process CPU time (ms). */
  cpuMedianMs: number;
  /** Multiply-accumulates of one forward pass (theory.ts). */
  macs: number;
}

export interface LayerBench {
  layer: GhostInputs;
  backend: string;
  runs: number;
  warmup: number;
  /** The calculator's r_s for these symbols. */
  theoretical: number;
  conv: LayerTiming;
  /** The Ghost module as the models run it, joining its maps by `join`. */
  ghost: LayerTiming & { join: ChannelJoin };
  /** conv median / ghost median (wall-clock). */
  measured: number;
  /** The same ratio of CPU-time medians. */
  measuredCpu: number;
  /** measured / theoretical. */
  efficiency: number;
  /** Where the models' join for this backend and map size is not tf.concat: the module with
   *  tf.concat (the implementation before the compiled-kernel join), timed in the same run. */
  before: { join: ChannelJoin; ghost: LayerTiming; measured: number; measuredCpu: number } | null;
}

export async function benchLayer(g: GhostInputs, backend: string, runs: number, warmup: number): Promise<LayerBench> {
  const cost = ghostModuleCost(g);
  const common = { kernel: g.k, relu: true, attention: false };
  const convSpec = ghostModuleSpec('conv', g.c, g.n, { ...common, ratio: 1, dwSize: 0, plain: true });
  const ghostSpec = ghostModuleSpec('ghost', g.c, g.n, { ...common, ratio: g.s, dwSize: g.d, plain: false });
  const join = preferredJoin(g.h * g.w);
  const modules = [build(convSpec, 1, join), build(ghostSpec, 2, join)];
  if (join !== 'concat') modules.push({ ...modules[1]!, join: 'concat' });
  // Stride 1 and k//2 padding: the output is h'×w' when the input is.
  const x = tf.randomNormal([1, g.h, g.w, g.c], 0, 1, 'float32', 7) as tf.Tensor4D;
  const wall = modules.map(() => [] as number[]);
  const cpu = modules.map(() => [] as number[]);
  try {
    // Round robin, starting one further each round, so a busy machine slows every variant alike.
    for (let i = 0; i < warmup + runs; i++) {
      for (let j = 0; j < modules.length; j++) {
        const which = (i + j) % modules.length;
        const [w, c] = await timeOnce(modules[which]!, x);
        if (i >= warmup) {
          wall[which]!.push(w);
          cpu[which]!.push(c);
        }
      }
    }
  } finally {
    x.dispose();
    for (const t of modules[0]!.weights.values()) t.dispose();
    for (const t of modules[1]!.weights.values()) t.dispose();
  }
  const timing = (i: number, macs: number): LayerTiming => {
    const s = spread(wall[i]!)!;
    return { medianMs: s.median, ...s, cpuMedianMs: spread(cpu[i]!)!.median, macs };
  };
  const conv = timing(0, cost.ordinary.flops);
  const ghost = timing(1, cost.ghost.flops);
  const ratios = (t: LayerTiming) => ({ measured: conv.medianMs / t.medianMs, measuredCpu: conv.cpuMedianMs / t.cpuMedianMs });
  const now = ratios(ghost);
  const old = modules[2] ? timing(2, cost.ghost.flops) : null;
  return {
    layer: g,
    backend,
    runs,
    warmup,
    theoretical: cost.rs,
    conv,
    ghost: { ...ghost, join },
    ...now,
    efficiency: now.measured / cost.rs,
    before: old ? { join: 'concat', ghost: old, ...ratios(old) } : null,
  };
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const pct = (r: number, rs: number) => `${((100 * r) / rs).toFixed(0)} %`;

export function formatLayerBench(r: LayerBench): string {
  const row = (name: string, t: LayerTiming) => {
    const speedup = name === 'ordinary conv' ? ['', ''] : [`${(r.conv.medianMs / t.medianMs).toFixed(2)}×`, `${(r.conv.cpuMedianMs / t.cpuMedianMs).toFixed(2)}×`];
    return [name, `${(t.macs / 1e6).toFixed(1)}M`, `${ms(t.medianMs)} ms`, `${ms(t.p25)}–${ms(t.p75)}`, `${ms(t.cpuMedianMs)} ms`, ...speedup];
  };
  const rows = [
    ['', 'MACs', 'wall median', 'wall IQR', 'CPU median', 'speed-up (wall)', 'speed-up (CPU)'],
    row('ordinary conv', r.conv),
    row(`Ghost module (${r.ghost.join})`, r.ghost),
    ...(r.before ? [row(`before: Ghost module (${r.before.join})`, r.before.ghost)] : []),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((x) => x[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
  return [
    `Ordinary conv vs Ghost module (${formatLayer(r.layer)}), ${r.backend}, batch 1: ${r.runs} timed runs each after ${r.warmup} warm-up, round robin, read-back included`,
    ...rows.map(line),
    `theoretical r_s ${r.theoretical.toFixed(3)}×; measured ${r.measured.toFixed(2)}× wall-clock (${pct(r.measured, r.theoretical)} of r_s), ${r.measuredCpu.toFixed(2)}× CPU time (${pct(r.measuredCpu, r.theoretical)})`,
    ...(r.before
      ? [`before (${r.before.join}): ${r.before.measured.toFixed(2)}× wall-clock (${pct(r.before.measured, r.theoretical)}), ${r.before.measuredCpu.toFixed(2)}× CPU time (${pct(r.before.measuredCpu, r.theoretical)})`]
      : []),
  ].join('\n');
}
