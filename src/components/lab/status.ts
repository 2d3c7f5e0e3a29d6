/**
 * `window.ghostlab`: a read-only status object for tests and curious readers (DESIGN.md).
 * The page updates it through `setStatus`; readers only see getters.
 */
import type { BackendName } from './backend';
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
};

export function installStatus(): void {
  const obj = {} as LabStatus;
  for (const key of Object.keys(state) as (keyof LabStatus)[]) {
    Object.defineProperty(obj, key, {
      enumerable: true,
      get: () => {
        const v = state[key];
        return Array.isArray(v) ? [...v] : v && typeof v === 'object' ? { ...v } : v;
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
