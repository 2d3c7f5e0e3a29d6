/**
 * What "Measure on this device" times, decided before any tensor exists: the layer (the speed-up
 * calculator's c, n, k, h′, w′, s, d), the backends, the run counts, and the bounds that keep a
 * reader's settings from freezing the tab. Pure data: no tfjs, no DOM; the page, the worker and the
 * unit tests share it.
 */
import { GHOST_DEFAULTS, GHOST_KEYS, GHOST_LIMITS, ghostModuleCost, type GhostInputs } from '../model/theory';

export const MEASURE_BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type MeasureBackend = (typeof MEASURE_BACKENDS)[number];

/** What is timed; the names are the ones `window.ghostlab.measurements` reports. */
export const LAYER_CASES = ['conv', 'ghost'] as const;
export const NET_CASES = ['ghostnet_100', 'plain_100', 'ghostnetv2_100'] as const;
export type MeasureWhat = (typeof LAYER_CASES)[number] | (typeof NET_CASES)[number];

/** The default stays at 20 timed runs; `?runs=` may lower it (tests) down to this. */
export const DEFAULT_RUNS = 20;
export const MIN_RUNS = 3;
export const MAX_RUNS = 200;
export const WARMUP = 3;

/** The largest ordinary convolution the page will time: about 2 s per run on a slow CPU backend. */
export const MAX_LAYER_MACS = 4e9;
/** Largest tensor (input, output or kernel) in floats: 64 MB each. */
export const MAX_LAYER_FLOATS = 16 * 1024 * 1024;

export interface MeasurePlan {
  layer: GhostInputs;
  backends: MeasureBackend[];
  runs: number;
  warmup: number;
  /** Whole networks at 224×224 too (never on the plain-JavaScript cpu backend: minutes per run). */
  nets: boolean;
  threads: number | null;
}

/** What a worker is asked to do: one backend's share of a plan. */
export interface MeasureJob {
  backend: MeasureBackend;
  /** WebAssembly threads to ask for (the threaded flavour only); null: tfjs's default. */
  threads: number | null;
  layer: GhostInputs;
  runs: number;
  warmup: number;
  nets: boolean;
}

export const isMeasureBackend = (v: unknown): v is MeasureBackend => typeof v === 'string' && (MEASURE_BACKENDS as readonly string[]).includes(v);

/** The layer from a query string: the calculator's symbols, its defaults where one is missing or bad. */
export function layerFromSearch(search: string): GhostInputs {
  const p = new URLSearchParams(search);
  const g: GhostInputs = { ...GHOST_DEFAULTS };
  for (const k of GHOST_KEYS) {
    const raw = p.get(k);
    if (raw === null || !/^\d+$/.test(raw)) continue;
    const v = Number(raw);
    if (v >= GHOST_LIMITS[k].min && v <= GHOST_LIMITS[k].max) g[k] = v;
  }
  return g;
}

/** `?runs=`: an integer from MIN_RUNS to MAX_RUNS, else the default. */
export function runsFromSearch(search: string): number {
  const raw = new URLSearchParams(search).get('runs');
  if (raw === null || !/^\d+$/.test(raw)) return DEFAULT_RUNS;
  return Math.min(MAX_RUNS, Math.max(MIN_RUNS, Number(raw)));
}

/** `?backends=webgl,wasm`: the known names in the order given; null when absent or none known. */
export function backendsFromSearch(search: string): MeasureBackend[] | null {
  const raw = new URLSearchParams(search).get('backends');
  if (raw === null) return null;
  const list = [...new Set(raw.split(',').filter(isMeasureBackend))];
  return list.length ? list : null;
}

/** `?threads=N`: WebAssembly threads, 1 to 64; null (tfjs's default) when absent or bad. */
export function threadsFromSearch(search: string): number | null {
  const raw = new URLSearchParams(search).get('threads');
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= 64 ? n : null;
}

export type LayerProblem =
  | { kind: 'ratio'; s: number }
  | { kind: 'even'; symbol: 'k' | 'd'; value: number }
  | { kind: 'macs'; macs: number; max: number }
  | { kind: 'floats'; floats: number; max: number };

/**
 * Why this layer cannot be timed here, or null. Refused before any work: s = 1 has no ghost maps,
 * even kernels have no centred "same" padding, and a layer too large would hold the tab for minutes
 * or exhaust its memory.
 */
export function layerProblem(g: GhostInputs): LayerProblem | null {
  if (g.s < 2) return { kind: 'ratio', s: g.s };
  if (g.k % 2 === 0) return { kind: 'even', symbol: 'k', value: g.k };
  if (g.d % 2 === 0) return { kind: 'even', symbol: 'd', value: g.d };
  const cost = ghostModuleCost(g);
  if (cost.ordinary.flops > MAX_LAYER_MACS) return { kind: 'macs', macs: cost.ordinary.flops, max: MAX_LAYER_MACS };
  const m = Math.ceil(g.n / g.s);
  const floats = Math.max(g.h * g.w * g.c, g.h * g.w * m * g.s, g.n * g.c * g.k * g.k);
  if (floats > MAX_LAYER_FLOATS) return { kind: 'floats', floats, max: MAX_LAYER_FLOATS };
  return null;
}

/** One worker job per backend. */
export function jobsOf(plan: MeasurePlan): MeasureJob[] {
  return plan.backends.map((backend) => ({
    backend,
    threads: plan.threads,
    layer: plan.layer,
    runs: plan.runs,
    warmup: plan.warmup,
    nets: plan.nets && backend !== 'cpu',
  }));
}

/** Timed forward passes a job makes, warm-up included: the progress bar's length. */
export function stepsOf(job: MeasureJob): number {
  const cases = LAYER_CASES.length + (job.nets ? NET_CASES.length : 0);
  return cases * (job.warmup + job.runs);
}
