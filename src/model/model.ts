/**
 * GhostNetModel: a loaded network with a fast folded path (predict / logits) and an
 * unfolded inspection path (inspect) that mirrors PyTorch eval mode op by op.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cheapKernels, type CheapKernels } from './cheap-operation.js';
import { resolveConfig, validateConfig, type ConfigOverrides, type GhostNetConfig } from './config.js';
import { foldWeights } from './fold.js';
import { buildSpec, forward } from './ghostnet.js';
import { mapCheckpoint, type CheckpointTensor } from './key-map.js';
import type { Knockout } from './knockout.js';
import { describeLayers, tapNames, type LayerInfo } from './layers.js';
import {
  checkModelJson,
  decodeWeights,
  encodeWeights,
  makeModelJson,
  ManifestError,
  type ModelJson,
} from './manifest.js';
import { calibratingOps, foldedOps, unfoldedOps, type TensorMap } from './ops.js';
import { preprocessBatch, type PreprocessOptions, type RgbaImage } from './preprocess.js';
import { ghostModules, type NetSpec } from './spec.js';
import { checkWeightSet, countParams, mulberry32, paramEntries, randomWeights, type WeightSet } from './weights.js';

export interface TopK {
  index: number;
  label: string;
  p: number;
}

export interface Prediction {
  logits: number[][];
  probabilities: number[][];
  top: TopK[][];
}

/** An NHWC float tensor, or RGBA images that get the model's own preprocessing. */
export type ModelInput = tf.Tensor4D | RgbaImage | RgbaImage[];

export interface InspectResult {
  logits: tf.Tensor2D;
  /** Requested taps by name; NHWC except `global_pool`/`conv_head` [N,1,1,C] and `logits`. */
  taps: Map<string, tf.Tensor>;
  /** Disposes the logits and every tap. */
  dispose(): void;
}

function isImage(x: unknown): x is RgbaImage {
  return typeof x === 'object' && x !== null && 'width' in x && 'height' in x && 'data' in x;
}

function upload(ws: WeightSet): TensorMap {
  const m: TensorMap = new Map();
  for (const [k, w] of ws) m.set(k, tf.tensor(w.data, w.shape, 'float32'));
  return m;
}

export class GhostNetModel {
  readonly config: GhostNetConfig;
  readonly spec: NetSpec;
  /** Layer list for UIs: names, kinds, shapes, params, MACs, Ghost module details. */
  readonly layers: LayerInfo[];
  /** Every name `inspect` accepts. */
  readonly tapNames: string[];
  private readonly weights: WeightSet;
  private folded: TensorMap | null;
  private raw: TensorMap | null = null;

  constructor(config: GhostNetConfig, weights: WeightSet) {
    this.config = config;
    this.spec = buildSpec(config);
    checkWeightSet(weights, this.spec);
    this.weights = weights;
    this.layers = describeLayers(this.spec);
    this.tapNames = tapNames(this.spec);
    this.folded = upload(foldWeights(this.spec, weights));
  }

  get arch(): string {
    return this.config.arch;
  }
  get labels(): string[] {
    return this.config.labels;
  }
  /** [H, W, C] the model was configured for (any H, W works). */
  get inputShape(): [number, number, number] {
    return this.config.input;
  }
  get numClasses(): number {
    return this.config.numClasses;
  }
  /** Learned parameters, BN scale and shift included. */
  get numParams(): number {
    return countParams(this.weights, this.spec);
  }

  private live(): TensorMap {
    if (!this.folded) throw new Error('the model has been disposed');
    return this.folded;
  }

  /** NHWC input tensor for images (preprocessed) or the tensor itself. The caller owns it. */
  toInput(input: ModelInput, opts: PreprocessOptions = {}): tf.Tensor4D {
    if (input instanceof tf.Tensor) {
      if (input.rank !== 4 || input.shape[3] !== this.config.input[2]) {
        throw new Error(`input must be NHWC with ${this.config.input[2]} channel(s), got shape [${input.shape}]`);
      }
      return input;
    }
    const imgs = Array.isArray(input) ? input : [input];
    if (!imgs.every(isImage)) throw new Error('input must be a Tensor4D or RGBA image(s) {width, height, data}');
    const [h, w, c] = this.config.input;
    return tf.tensor4d(preprocessBatch(imgs, this.config.preprocess, this.config.input, opts), [imgs.length, h, w, c]);
  }

  private withInput<T>(input: ModelInput, fn: (x: tf.Tensor4D) => T): T {
    const x = this.toInput(input);
    try {
      return fn(x);
    } finally {
      if (x !== input) x.dispose();
    }
  }

  /**
   * Logits [N, classes] through the folded, fused path. The caller disposes the result.
   * `knockout` replaces one Ghost module's ghost maps (zeros, or copies of their sources).
   */
  logits(input: ModelInput, opts: { knockout?: Knockout } = {}): tf.Tensor2D {
    const w = this.live();
    if (opts.knockout && !ghostModules(this.spec).some((m) => m.path === opts.knockout!.path && m.cheap)) {
      throw new Error(`${opts.knockout.path} is not a Ghost module with ghost maps in this model`);
    }
    return this.withInput(input, (x) => tf.tidy(() => forward(this.spec, x, { ...foldedOps(w), knockout: opts.knockout })));
  }

  /** Logits, softmax probabilities and the top-k classes with labels, as plain arrays. */
  async predict(input: ModelInput, opts: { topk?: number } = {}): Promise<Prediction> {
    const k = Math.min(opts.topk ?? 5, this.config.numClasses);
    const logits = this.logits(input);
    const probs = tf.softmax(logits);
    try {
      const [l, p] = await Promise.all([logits.array(), probs.array()]);
      return { logits: l, probabilities: p, top: p.map((row) => this.topK(row, k)) };
    } finally {
      logits.dispose();
      probs.dispose();
    }
  }

  /** The k most probable classes of one probability row. */
  topK(row: number[], k = 5): TopK[] {
    return row
      .map((p, index) => ({ index, p }))
      .sort((a, b) => b.p - a.p || a.index - b.index)
      .slice(0, k)
      .map(({ index, p }) => ({ index, label: this.config.labels[index] ?? `class ${index}`, p }));
  }

  /**
   * The unfolded forward (conv, then BatchNorm, as PyTorch eval does) returning the
   * requested taps: `'all'`, or names from `tapNames` (e.g. `blocks.3.0.ghost1.intrinsic`).
   */
  inspect(input: ModelInput, taps: readonly string[] | 'all' = 'all'): InspectResult {
    this.live();
    const wanted = new Set(taps === 'all' ? this.tapNames : taps);
    const known = new Set(this.tapNames);
    const unknown = [...wanted].filter((t) => !known.has(t));
    if (unknown.length) throw new Error(`unknown tap(s): ${unknown.join(', ')}`);
    this.raw ??= upload(this.weights);
    const raw = this.raw;
    const result = this.withInput(input, (x) =>
      tf.tidy(() => {
        const out: Record<string, tf.Tensor> = {};
        const logits = forward(this.spec, x, unfoldedOps(raw, (name, t) => {
          if (wanted.has(name)) out[name] = t;
        }));
        return { logits, out };
      }),
    );
    const map = new Map(Object.entries(result.out));
    return {
      logits: result.logits,
      taps: map,
      dispose: () => {
        result.logits.dispose();
        for (const t of map.values()) if (!t.isDisposed) t.dispose();
      },
    };
  }

  /** A Ghost module's cheap d×d kernels, one per ghost map, with their source maps. */
  cheapKernels(modulePath: string): CheapKernels {
    const m = ghostModules(this.spec).find((g) => g.path === modulePath);
    if (!m) throw new Error(`no Ghost module named ${modulePath}`);
    if (!m.cheap) throw new Error(`${modulePath} is a plain conv: it has no cheap operation`);
    return cheapKernels(m.cheap, m.ratio, this.weights);
  }

  /** The unfolded weights (official names, tfjs layouts), e.g. to save them. */
  getWeights(): WeightSet {
    return this.weights;
  }

  /** model.json (standard tfjs weights manifest + `ghostlab`) and its shards. */
  toArtifacts(opts: { quantize?: 'float16'; shardBytes?: number; source?: string } = {}): {
    modelJson: ModelJson;
    shards: { path: string; bytes: Uint8Array }[];
  } {
    const order = paramEntries(this.spec).map((e) => e.name);
    const { group, shards } = encodeWeights(this.weights, order, opts);
    const modelJson = makeModelJson(group, {
      arch: this.config.arch,
      config: this.config,
      params: this.numParams,
      ...(opts.source ? { source: opts.source } : {}),
    });
    return { modelJson, shards: shards.map((bytes, i) => ({ path: group.paths[i]!, bytes })) };
  }

  dispose(): void {
    for (const m of [this.folded, this.raw]) if (m) for (const t of m.values()) t.dispose();
    this.folded = null;
    this.raw = null;
  }
}

/**
 * Random BN running statistics would make activations explode over 16 blocks; calibrate
 * them on a random batch (train-mode BN), then perturb them so folding is still exercised.
 */
export function calibrateBatchNorm(spec: NetSpec, ws: WeightSet, seed = 0, batch = 2): WeightSet {
  const [h, w, c] = spec.config.input;
  const rnd = mulberry32(seed ^ 0x5eed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const out: WeightSet = new Map(ws);
  const tensors = upload(ws);
  try {
    tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from({ length: batch * h * w * c }, gauss), [batch, h, w, c]);
      forward(spec, x, calibratingOps(tensors, (bn, mean, variance) => {
        const m = Float32Array.from(mean, (v, i) => v + 0.05 * gauss() * Math.sqrt(variance[i]!));
        const v = Float32Array.from(variance, (v) => v * Math.exp(0.15 * gauss()) + 1e-3);
        out.set(`${bn}.running_mean`, { shape: [m.length], data: m });
        out.set(`${bn}.running_var`, { shape: [v.length], data: v });
      }));
    });
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
  return out;
}

/** A model with seeded random weights and calibrated BN statistics (tests, benchmarks, demos). */
export function createModel(arch: string, opts: ConfigOverrides & { seed?: number } = {}): GhostNetModel {
  const config = resolveConfig(arch, opts);
  const spec = buildSpec(config);
  const seed = opts.seed ?? 0;
  return new GhostNetModel(config, calibrateBatchNorm(spec, randomWeights(spec, seed), seed));
}

/** A model from checkpoint tensors (PyTorch names and layouts, official or timm). */
export function fromCheckpoint(
  tensors: Map<string, CheckpointTensor>,
  arch: string,
  opts: ConfigOverrides = {},
): GhostNetModel {
  const config = resolveConfig(arch, opts);
  return new GhostNetModel(config, mapCheckpoint(tensors, buildSpec(config)));
}

/** A model from a parsed model.json and its shard bytes (in manifest path order). */
export function fromArtifacts(modelJson: unknown, shards: Uint8Array[] | Uint8Array[][]): GhostNetModel {
  const mj = checkModelJson(modelJson);
  const groups: Uint8Array[][] =
    mj.weightsManifest.length === 1 && shards.every((s) => s instanceof Uint8Array) ? [shards as Uint8Array[]] : (shards as Uint8Array[][]);
  const config = validateConfig(mj.ghostlab.config);
  const ws = decodeWeights(mj.weightsManifest, groups);
  return new GhostNetModel(config, ws);
}

export interface LoadOptions {
  fetch?: (url: string) => Promise<{ ok: boolean; status: number; json(): Promise<unknown>; arrayBuffer(): Promise<ArrayBuffer> }>;
}

/**
 * Loads a converted model: a URL of its model.json (shards are fetched next to it), or
 * artifacts already in memory `{ modelJson, shards }`.
 */
export async function load(
  source: string | URL | { modelJson: unknown; shards: Uint8Array[] | Uint8Array[][] },
  opts: LoadOptions = {},
): Promise<GhostNetModel> {
  if (typeof source !== 'string' && !(source instanceof URL)) return fromArtifacts(source.modelJson, source.shards);
  const doFetch = opts.fetch ?? (globalThis.fetch as unknown as NonNullable<LoadOptions['fetch']>);
  if (!doFetch) throw new Error('no fetch available: pass { fetch } or artifacts');
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const url = new URL(String(source), base);
  const res = await doFetch(url.href);
  if (!res.ok) throw new ManifestError(`cannot fetch ${url.href}: HTTP ${res.status}`);
  const mj = checkModelJson(await res.json());
  const shards = await Promise.all(
    mj.weightsManifest.map((g) =>
      Promise.all(
        g.paths.map(async (p) => {
          const r = await doFetch(new URL(p, url).href);
          if (!r.ok) throw new ManifestError(`cannot fetch weights shard ${p}: HTTP ${r.status}`);
          return new Uint8Array(await r.arrayBuffer());
        }),
      ),
    ),
  );
  return fromArtifacts(mj, shards);
}
