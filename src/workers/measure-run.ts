/**
 * Timing one backend's share of "Measure on this device" with the model library itself: the
 * ordinary convolution against its Ghost module (built as `ghostlab bench --layer` builds them:
 * ghostModuleSpec, random weights, BatchNorm folded, the models' own folded ops), and whole networks
 * at 224×224, batch 1 (GhostNet 1.0x, its plain twin, GhostNetV2 1.0x) with random weights.
 * Every timed run includes the read-back, so WebGL's asynchrony does not flatter it; the cases of
 * a group run round robin so a busy machine slows each alike. No DOM: runs in a Worker and in Node.
 */
import * as tf from '@tensorflow/tfjs-core';
import { foldWeights } from '../model/fold';
import { buildSpec } from '../model/ghostnet';
import { ghostModule, ghostModuleSpec } from '../model/ghost-module';
import { costReport } from '../model/layers';
import { calibrateBatchNorm, GhostNetModel } from '../model/model';
import { foldedOps, type TensorMap } from '../model/ops';
import { resolveConfig, type GhostNetConfig } from '../model/config';
import { ghostUnits } from '../model/spec';
import { ghostModuleCost } from '../model/theory';
import { randomWeights, type WeightSet } from '../model/weights';
import { stepsOf, type MeasureJob, type MeasureWhat } from './measure-plan';

export interface Timing {
  what: MeasureWhat;
  backend: string;
  /** Median of the timed runs, read-back included (ms). */
  medianMs: number;
  runs: number;
  /** The spread: interquartile range and extremes (ms). */
  p25: number;
  p75: number;
  min: number;
  max: number;
  /** Multiply-accumulates of one forward pass. */
  macs: number;
}

/** One case: a forward pass returning the output to read back, and what frees its tensors. */
interface Case {
  what: MeasureWhat;
  macs: number;
  run(): tf.Tensor;
  dispose(): void;
}

export interface RunHooks {
  /** After every forward pass, warm-up included. */
  progress(done: number, total: number): void;
  /** As each case's numbers are final. */
  result(t: Timing): void;
}

const NET_INPUT = 224;

/** The q-quantile of an ascending array, interpolating between neighbours. */
function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function upload(ws: WeightSet): TensorMap {
  const m: TensorMap = new Map();
  for (const [name, w] of ws) m.set(name, tf.tensor(w.data, w.shape, 'float32'));
  return m;
}

function layerCases(job: MeasureJob): Case[] {
  const g = job.layer;
  const cost = ghostModuleCost(g);
  const common = { kernel: g.k, relu: true, attention: false };
  const specs = [
    { what: 'conv' as const, macs: cost.ordinary.flops, spec: ghostModuleSpec('conv', g.c, g.n, { ...common, ratio: 1, dwSize: 0, plain: true }) },
    { what: 'ghost' as const, macs: cost.ghost.flops, spec: ghostModuleSpec('ghost', g.c, g.n, { ...common, ratio: g.s, dwSize: g.d, plain: false }) },
  ];
  // Stride 1 and k//2 padding: the output is h′×w′ when the input is.
  const x = tf.randomNormal([1, g.h, g.w, g.c], 0, 1, 'float32', 7) as tf.Tensor4D;
  let left = specs.length;
  return specs.map(({ what, macs, spec }, i) => {
    const units = ghostUnits(spec);
    const weights = upload(foldWeights(units, randomWeights(units, i + 1)));
    const ops = foldedOps(weights);
    return {
      what,
      macs,
      run: () => tf.tidy(() => ghostModule(x, spec, ops)),
      dispose() {
        for (const t of weights.values()) t.dispose();
        if (--left === 0) x.dispose();
      },
    };
  });
}

/** The three networks' configs: GhostNet 1.0x, the same net with every Ghost module an ordinary conv, V2 1.0x. */
export function netConfigs(): { what: MeasureWhat; config: GhostNetConfig }[] {
  const v1 = resolveConfig('ghostnet_100', { input: NET_INPUT });
  return [
    { what: 'ghostnet_100', config: v1 },
    { what: 'plain_100', config: { ...v1, plain: true } },
    { what: 'ghostnetv2_100', config: resolveConfig('ghostnetv2_100', { input: NET_INPUT }) },
  ];
}

/**
 * Random weights with BatchNorm statistics calibrated on a small random input on the plain-JS cpu
 * backend (cheap, and the same on every backend), so activations stay in range over 16 blocks:
 * overflowing or denormal values would time something other than the network.
 */
async function netWeights(config: GhostNetConfig, seed: number): Promise<WeightSet> {
  const target = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    const small = buildSpec({ ...config, input: [64, 64, config.input[2]] });
    return calibrateBatchNorm(small, randomWeights(small, seed), seed, 1);
  } finally {
    await tf.setBackend(target);
  }
}

async function netCases(): Promise<Case[]> {
  const list = netConfigs();
  // Weights first: making them switches to the cpu backend and back.
  const weights: WeightSet[] = [];
  for (const [i, { config }] of list.entries()) weights.push(await netWeights(config, i + 1));
  const x = tf.randomNormal([1, NET_INPUT, NET_INPUT, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
  let left = list.length;
  return list.map(({ what, config }, i) => {
    const model = new GhostNetModel(config, weights[i]!);
    return {
      what,
      macs: costReport(model.spec).total.macs,
      run: () => model.logits(x),
      dispose() {
        model.dispose();
        if (--left === 0) x.dispose();
      },
    };
  });
}

/**
 * Times a group of cases round robin (each round starts one further), warm-up first; reports each
 * case when the group is done. `cancelled` is checked between runs.
 */
async function timeGroup(cases: Case[], job: MeasureJob, hooks: RunHooks, step: { done: number; total: number }, cancelled: () => boolean): Promise<void> {
  const times = cases.map(() => [] as number[]);
  for (let i = 0; i < job.warmup + job.runs; i++) {
    for (let j = 0; j < cases.length; j++) {
      if (cancelled()) return;
      const which = (i + j) % cases.length;
      const t0 = performance.now();
      const y = cases[which]!.run();
      await y.data();
      const ms = performance.now() - t0;
      y.dispose();
      if (i >= job.warmup) times[which]!.push(ms);
      hooks.progress(++step.done, step.total);
    }
  }
  cases.forEach((c, i) => {
    const v = times[i]!.sort((a, b) => a - b);
    hooks.result({
      what: c.what,
      backend: job.backend,
      medianMs: quantile(v, 0.5),
      runs: v.length,
      p25: quantile(v, 0.25),
      p75: quantile(v, 0.75),
      min: v[0]!,
      max: v[v.length - 1]!,
      macs: c.macs,
    });
  });
}

/** Runs one job on the current tfjs backend: the layer pair, then (when asked) the three networks. */
export async function runJob(job: MeasureJob, hooks: RunHooks, cancelled: () => boolean = () => false): Promise<void> {
  const step = { done: 0, total: stepsOf(job) };
  const groups: (() => Case[] | Promise<Case[]>)[] = [() => layerCases(job)];
  if (job.nets) groups.push(netCases);
  for (const make of groups) {
    if (cancelled()) return;
    const cases = await make();
    try {
      await timeGroup(cases, job, hooks, step, cancelled);
    } finally {
      for (const c of cases) c.dispose();
    }
  }
}
