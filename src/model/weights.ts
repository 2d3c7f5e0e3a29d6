/**
 * Weight names and shapes derived from the spec, PyTorch ↔ tfjs layout conversion, and a
 * seeded random initialiser (tests, the benchmark, an untrained demo).
 *
 * A WeightSet is keyed by official PyTorch names and stores tfjs layouts: conv kernels
 * [kh, kw, in, out], depthwise kernels [kh, kw, in, multiplier], linear weights [in, out].
 */
import { netUnits, type ConvSpec, type NetSpec, type Unit } from './spec.js';

export interface WeightTensor {
  shape: number[];
  data: Float32Array;
}
export type WeightSet = Map<string, WeightTensor>;

export type ParamRole = 'conv' | 'dwconv' | 'linear' | 'vector';

export interface ParamEntry {
  name: string;
  /** Shape in the PyTorch state_dict. */
  ptShape: number[];
  /** Shape stored in a WeightSet / model.json. */
  tfShape: number[];
  role: ParamRole;
  /** false for BatchNorm running statistics (buffers, not parameters). */
  trainable: boolean;
}

function convEntries(c: ConvSpec): ParamEntry[] {
  const e: ParamEntry[] = c.depthwise
    ? [{ name: `${c.name}.weight`, ptShape: [c.outC, 1, c.kh, c.kw], tfShape: [c.kh, c.kw, c.inC, c.outC / c.inC], role: 'dwconv', trainable: true }]
    : [{ name: `${c.name}.weight`, ptShape: [c.outC, c.inC, c.kh, c.kw], tfShape: [c.kh, c.kw, c.inC, c.outC], role: 'conv', trainable: true }];
  if (c.bias) e.push({ name: `${c.name}.bias`, ptShape: [c.outC], tfShape: [c.outC], role: 'vector', trainable: true });
  return e;
}

function unitEntries(u: Unit): ParamEntry[] {
  if (u.type === 'conv') return convEntries(u.conv);
  if (u.type === 'linear') {
    const l = u.linear;
    return [
      { name: `${l.name}.weight`, ptShape: [l.outF, l.inF], tfShape: [l.inF, l.outF], role: 'linear', trainable: true },
      { name: `${l.name}.bias`, ptShape: [l.outF], tfShape: [l.outF], role: 'vector', trainable: true },
    ];
  }
  const { bn } = u.convBn;
  const vec = (suffix: string, trainable: boolean): ParamEntry => ({
    name: `${bn.name}.${suffix}`,
    ptShape: [bn.channels],
    tfShape: [bn.channels],
    role: 'vector',
    trainable,
  });
  return [...convEntries(u.convBn.conv), vec('weight', true), vec('bias', true), vec('running_mean', false), vec('running_var', false)];
}

/** Every tensor the net (or a list of units, e.g. one module) needs, in state_dict order. */
export function paramEntries(spec: NetSpec | readonly Unit[]): ParamEntry[] {
  return unitsOf(spec).flatMap(unitEntries);
}

/** A whole net's units, or the given units (a single layer for the benchmark). */
export function unitsOf(spec: NetSpec | readonly Unit[]): readonly Unit[] {
  return 'stem' in spec ? netUnits(spec) : spec;
}

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Transposes a dense row-major array: out.shape[i] = shape[perm[i]]. */
export function permute(data: Float32Array, shape: number[], perm: number[]): Float32Array {
  const n = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(n);
  for (let i = n - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const stepIn = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(data.length);
  const idx = new Array<number>(n).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = data[src]!;
    for (let d = n - 1; d >= 0; d--) {
      idx[d]!++;
      src += stepIn[d]!;
      if (idx[d]! < outShape[d]!) break;
      src -= stepIn[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/** PyTorch layout → tfjs layout for one entry. */
export function ptToTf(e: ParamEntry, data: Float32Array): Float32Array {
  const [o, , kh, kw] = e.ptShape as [number, number, number, number];
  switch (e.role) {
    case 'conv':
      return permute(data, e.ptShape, [2, 3, 1, 0]);
    case 'dwconv': {
      const m = e.tfShape[3]!;
      // out channel c*m + j reads input channel c: view [C, M, kh, kw] → [kh, kw, C, M]
      return permute(data, [o / m, m, kh, kw], [2, 3, 0, 1]);
    }
    case 'linear':
      return permute(data, e.ptShape, [1, 0]);
    default:
      return data;
  }
}

/** tfjs layout → PyTorch layout (tests, export back to a checkpoint). */
export function tfToPt(e: ParamEntry, data: Float32Array): Float32Array {
  switch (e.role) {
    case 'conv':
      return permute(data, e.tfShape, [3, 2, 0, 1]);
    case 'dwconv':
      return permute(data, e.tfShape, [2, 3, 0, 1]);
    case 'linear':
      return permute(data, e.tfShape, [1, 0]);
    default:
      return data;
  }
}

/** Small deterministic PRNG (mulberry32) so tests and benchmarks are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random weights with random BatchNorm statistics: He-scaled kernels, gamma in [0.5, 1.5],
 * small shifts and means, variances in [0.5, 1.5], so activations stay in a sane range.
 */
export function randomWeights(spec: NetSpec | readonly Unit[], seed = 0): WeightSet {
  const rnd = mulberry32(seed);
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rnd();
  const ws: WeightSet = new Map();
  for (const e of paramEntries(spec)) {
    const n = numel(e.tfShape);
    const data = new Float32Array(n);
    const suffix = e.name.slice(e.name.lastIndexOf('.') + 1);
    if (e.role === 'vector') {
      const isBnWeight = suffix === 'weight';
      for (let i = 0; i < n; i++) {
        data[i] =
          suffix === 'running_var' || isBnWeight ? uniform(0.5, 1.5) : suffix === 'running_mean' ? uniform(-0.2, 0.2) : uniform(-0.1, 0.1);
      }
    } else {
      const fanIn = e.role === 'linear' ? e.ptShape[1]! : e.ptShape[1]! * e.ptShape[2]! * e.ptShape[3]!;
      const bound = Math.sqrt(3 / fanIn) * Math.SQRT2;
      for (let i = 0; i < n; i++) data[i] = uniform(-bound, bound);
    }
    ws.set(e.name, { shape: [...e.tfShape], data });
  }
  return ws;
}

/** Count of learned parameters (BN scale and shift included, running stats excluded). */
export function countParams(ws: WeightSet, spec: NetSpec): number {
  let total = 0;
  for (const e of paramEntries(spec)) if (e.trainable) total += numel(ws.get(e.name)?.shape ?? []);
  return total;
}

/** Throws unless `ws` holds exactly the spec's tensors with the tfjs shapes. */
export function checkWeightSet(ws: WeightSet, spec: NetSpec): void {
  const problems: string[] = [];
  const expected = paramEntries(spec);
  const names = new Set(expected.map((e) => e.name));
  for (const e of expected) {
    const w = ws.get(e.name);
    if (!w) problems.push(`missing ${e.name}`);
    else if (w.shape.join() !== e.tfShape.join() || w.data.length !== numel(e.tfShape)) {
      problems.push(`${e.name} has shape [${w.shape}] instead of [${e.tfShape}]`);
    }
  }
  for (const k of ws.keys()) if (!names.has(k)) problems.push(`unexpected ${k}`);
  if (problems.length) {
    const shown = problems.slice(0, 6).join('; ');
    throw new Error(`weights do not fit ${spec.config.arch}: ${shown}${problems.length > 6 ? `; and ${problems.length - 6} more` : ''}`);
  }
}
