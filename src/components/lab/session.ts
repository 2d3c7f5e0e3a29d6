/**
 * The lab's model runtime: one backend, one loaded GhostNet, inference and inspection that hand
 * back plain arrays (so drawing code never sees a tensor), and recovery when WebGL dies.
 * No DOM here beyond what the backend needs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkModelJson, fromArtifacts, GhostNetModel, type Knockout } from '../../model';
import { dropBackend, startBackend, watchContextLoss, type BackendChoice, type BackendName } from '../../lib/tf-backend';

export interface TapData {
  /** NHWC shape of the tap (batch 1). */
  shape: number[];
  data: Float32Array;
}

export interface InferenceResult {
  logits: Float32Array;
  probs: Float32Array;
  ms: number;
}

export type Progress = (loadedBytes: number, totalBytes: number | null) => void;

/**
 * Resolves in a new task. On wasm a tensor's data arrive as an already-resolved promise, so a loop
 * of queued model work would otherwise run as one block of microtasks and the page would neither
 * draw nor answer (a Cancel button included) until it ended. Long work awaits this between pieces.
 */
export const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class LabSession {
  model: GhostNetModel | null = null;
  backend: BackendChoice | null = null;
  /** When the current model's load began (page start for the first one): first-inference clocks start here. */
  loadStartedAt = performance.now();
  /** Called (outside the queue) when the WebGL context dies; the backend panel sets it. */
  onContextLost: () => void = () => {};
  private stopWatching: () => void = () => {};
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Runs model work one piece at a time, in order, so two panels never race on the backend and
   * quick clicks never interleave. A failed piece does not stop the ones after it.
   */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every piece of work queued so far has finished. */
  idle(): Promise<void> {
    return this.run(() => undefined);
  }

  async start(preferred: BackendName | null, exclude: BackendName[] = []): Promise<BackendChoice> {
    this.backend = await startBackend(preferred, exclude);
    this.watch();
    return this.backend;
  }

  private watch(): void {
    this.stopWatching();
    this.stopWatching = watchContextLoss(() => this.onContextLost());
  }

  /**
   * Loads a model (see `fetchModel`) and makes it the session's model. The current model stays in
   * place until the new one is built, so a failed load changes nothing.
   */
  async load(url: string, progress?: Progress): Promise<GhostNetModel> {
    const started = performance.now();
    const model = await fetchModel(url, progress);
    if (this.model) this.loadStartedAt = started;
    this.replaceModel(model);
    return model;
  }

  /**
   * Puts a model built elsewhere (the reader's converted checkpoint) in place of the current one,
   * whose tensors are released; `started` is when the reader chose it, for the first-inference clock.
   */
  adopt(model: GhostNetModel, started: number): void {
    this.loadStartedAt = started;
    this.replaceModel(model);
  }

  private replaceModel(model: GhostNetModel | null): void {
    const old = this.model;
    this.model = model;
    if (old && old !== model) safely(() => old.dispose());
  }

  /** Runs the fast (BatchNorm-folded) path on one NHWC input; times it to the last byte read back. */
  infer(input: Float32Array): Promise<InferenceResult> {
    return inferOn(this.need(), input);
  }

  /** The named taps of the inspection path (unfolded, like PyTorch's eval) as plain arrays. */
  inspect(input: Float32Array, taps: readonly string[]): Promise<Map<string, TapData>> {
    return inspectOn(this.need(), input, taps);
  }

  /**
   * Moves the model to another backend: after a lost WebGL context (`drop` names the dead one,
   * which is removed so nothing reuses it) or when the reader picks one. The model is rebuilt
   * from the weights it keeps on the CPU, so nothing is fetched again and the page needs no reload.
   */
  async rebuild(preferred: BackendName | null, drop?: BackendName): Promise<BackendChoice> {
    const model = this.model;
    safely(() => model?.dispose());
    this.model = null;
    if (drop) dropBackend(drop);
    const choice = await this.start(preferred, drop ? [drop] : []);
    if (model) this.model = new GhostNetModel(model.config, model.getWeights());
    return choice;
  }

  numTensors(): number {
    return tf.memory().numTensors;
  }

  private need(): GhostNetModel {
    if (!this.model) throw new Error('no model is loaded');
    return this.model;
  }
}

/**
 * Fetches model.json and its shards (reporting bytes as they arrive) and builds the model on the
 * current backend. The caller owns the model (and disposes it).
 */
export async function fetchModel(url: string, progress?: Progress): Promise<GhostNetModel> {
  const base = new URL(url, location.href);
  const res = await fetch(base.href);
  if (!res.ok) throw new Error(`cannot fetch ${base.pathname}: HTTP ${res.status}`);
  const modelJson = checkModelJson(await res.json());
  const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
  let loaded = 0;
  const sizes = await Promise.all(paths.map((p) => fetch(new URL(p, base).href).then((r) => ({ r, p }))));
  const total = sizes.reduce((a, { r }) => a + Number(r.headers.get('content-length') ?? 0), 0) || null;
  const shards = await Promise.all(
    sizes.map(async ({ r, p }) => {
      if (!r.ok || !r.body) throw new Error(`cannot fetch weights shard ${p}: HTTP ${r.status}`);
      const reader = r.body.getReader();
      const chunks: Uint8Array[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        progress?.(loaded, total);
      }
      const out = new Uint8Array(chunks.reduce((a, c) => a + c.byteLength, 0));
      let o = 0;
      for (const c of chunks) {
        out.set(c, o);
        o += c.byteLength;
      }
      return out;
    }),
  );
  // Group shards back by manifest group, as fromArtifacts expects.
  let k = 0;
  const grouped = modelJson.weightsManifest.map((g) => g.paths.map(() => shards[k++]!));
  return fromArtifacts(modelJson, grouped);
}

/** Runs `model`'s fast (BatchNorm-folded) path on one NHWC input; timed to the last byte read back. */
export async function inferOn(model: GhostNetModel, input: Float32Array): Promise<InferenceResult> {
  const [h, w, c] = model.inputShape;
  const t0 = performance.now();
  const x = tf.tensor4d(input, [1, h, w, c]);
  let logits: tf.Tensor2D | null = null;
  try {
    logits = model.logits(x);
    const data = (await logits.data()) as Float32Array;
    const ms = performance.now() - t0;
    return { logits: Float32Array.from(data), probs: softmax(data), ms };
  } finally {
    x.dispose();
    logits?.dispose();
  }
}

/** Logits of a batch of `n` NHWC inputs as one flat array [n × classes]; `knockout` as in GhostNetModel.logits. */
export async function logitsOn(model: GhostNetModel, batch: Float32Array, n: number, knockout?: Knockout): Promise<Float32Array> {
  const [h, w, c] = model.inputShape;
  const x = tf.tensor4d(batch, [n, h, w, c]);
  let logits: tf.Tensor2D | null = null;
  try {
    logits = model.logits(x, { knockout });
    return Float32Array.from((await logits.data()) as Float32Array);
  } finally {
    x.dispose();
    logits?.dispose();
  }
}

/** `model`'s named taps on the inspection path (unfolded, like PyTorch's eval) as plain arrays. */
export async function inspectOn(model: GhostNetModel, input: Float32Array, taps: readonly string[]): Promise<Map<string, TapData>> {
  const [h, w, c] = model.inputShape;
  const known = new Set(model.tapNames);
  const wanted = [...new Set(taps)].filter((t) => known.has(t));
  const x = tf.tensor4d(input, [1, h, w, c]);
  try {
    const r = model.inspect(x, wanted);
    try {
      const out = new Map<string, TapData>();
      await Promise.all(
        [...r.taps].map(async ([name, t]) => {
          out.set(name, { shape: t.shape.slice(1), data: (await t.data()) as Float32Array });
        }),
      );
      return out;
    } finally {
      r.dispose();
    }
  } finally {
    x.dispose();
  }
}

/** `model` again on the current backend, from the weights it keeps on the CPU (after a backend change). */
export function rebuildOn(model: GhostNetModel): GhostNetModel {
  safely(() => model.dispose());
  return new GhostNetModel(model.config, model.getWeights());
}

export function softmax(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i]! - max);
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Disposing on a dead WebGL context can throw; the memory is gone with the context anyway.
  }
}
