/**
 * `window.ghostlab`: a read-only status object for tests and curious readers (DESIGN.md).
 * The page updates it through `setStatus`; readers only see getters.
 */
import type { BackendName } from '../../lib/tf-backend';
import type { LabStore } from './state';

export interface LabStatus {
  backend: BackendName | null;
  modelId: string | null;
  ready: boolean;
  lastPrediction: { index: number; label: string; p: number } | null;
  lastInferenceMs: number | null;
  /** The last inference's logits, one per class. */
  lastLogits: number[] | null;
  numTensors: number;
  /** Time to fetch and build the current model. */
  loadMs: number | null;
  /** From page start (or model switch) to the first prediction. */
  firstInferenceMs: number | null;
  /** The layer open in the inspector. */
  layer: string | null;
  /** Why the page is not ready, in one sentence, or null. */
  error: string | null;
  /** The compare view's second model and what it gave, or null when nothing is compared. */
  compare: CompareStatus | null;
  /** The open Ghost module's ghosts against their own sources, on the current image. */
  resemblance: { layer: string; own: number[]; nearest: number[]; meanOwn: number; sourceIsNearest: number } | null;
  /** The latest knock-out: gallery accuracy with `layer`'s ghosts replaced, against the intact model's. */
  knockout: KnockoutStatus | null;
  /** Every module's knock-out from the last "every module" run. */
  knockouts: KnockoutStatus[] | null;
  /** Step mode: the step on view in the open Ghost module, or null when step mode is closed. */
  step: { layer: string; index: number; id: string; of: number } | null;
  /** The pixel being explained: its tap, channel (within the tap), position and value. */
  explained: { tap: string; channel: number; x: number; y: number; value: number } | null;
  /** (GhostNetV2) the DFC gate at the explained pixel, `<module>.attn.gate` — same fields. */
  explainedGate: { tap: string; channel: number; x: number; y: number; value: number } | null;
  /** "Measure on this device": every finished timing, in the order measured. */
  measurements: { what: string; backend: string; medianMs: number; runs: number }[];
  /** Whether tfjs's WebAssembly backend runs multi-threaded here: it needs a cross-origin-isolated
   *  page (shared memory); the measure panel replaces the guess with what the wasm backend reports. */
  wasmThreads: boolean;
}

export interface KnockoutStatus {
  layer: string;
  mode: 'zeros' | 'copies';
  accuracy: number;
  baseline: number;
}

export interface CompareStatus {
  modelId: string;
  layer: string;
  prediction: { index: number; label: string; p: number };
  /** Mean cosine similarity of each ghost with its own source (null where the layer has no ghosts). */
  ghostSourceSimilarity: number | null;
}

const state: LabStatus = {
  backend: null,
  modelId: null,
  ready: false,
  lastPrediction: null,
  lastInferenceMs: null,
  lastLogits: null,
  numTensors: 0,
  loadMs: null,
  firstInferenceMs: null,
  layer: null,
  error: null,
  compare: null,
  resemblance: null,
  knockout: null,
  knockouts: null,
  step: null,
  explained: null,
  explainedGate: null,
  measurements: [],
  // tfjs's own rule until a backend reports: threads need isolation, and tfjs-wasm gives its pool
  // half the logical cores, so more than one thread needs four of them.
  wasmThreads: typeof crossOriginIsolated === 'boolean' && crossOriginIsolated && typeof SharedArrayBuffer === 'function' && navigator.hardwareConcurrency >= 4,
};

/** Installs `window.ghostlab` once per page; the lab and the measure panel may both ask. */
export function ensureStatus(): void {
  if (!Object.prototype.hasOwnProperty.call(window, 'ghostlab')) installStatus();
}

export function installStatus(): void {
  const obj = {} as LabStatus;
  for (const key of Object.keys(state) as (keyof LabStatus)[]) {
    Object.defineProperty(obj, key, {
      enumerable: true,
      get: () => {
        const v = state[key];
        if (Array.isArray(v)) return (v as unknown[]).map((x) => (x && typeof x === 'object' ? { ...x } : x));
        return v && typeof v === 'object' ? { ...v } : v;
      },
    });
  }
  Object.freeze(obj);
  Object.defineProperty(window, 'ghostlab', { value: obj, configurable: true, enumerable: false, writable: false });
}

export function setStatus(patch: Partial<LabStatus>): void {
  Object.assign(state, patch);
}

export function getStatus(): Readonly<LabStatus> {
  return state;
}

/** `window.ghostlab` follows the lab state: the loaded model and the open layer. */
export function bindStatus(state: LabStore): () => void {
  return state.subscribe(['model', 'layer'], (s) => setStatus({ modelId: s.model, layer: s.layer || null }));
}
