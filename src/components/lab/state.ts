/**
 * The lab's one state: which model is loaded, which picture goes in, which layer and map are open,
 * how maps are coloured, which backend was asked for, which model is compared with it. Panels draw from it and write back only
 * through `update`; the URL and `window.ghostlab` are subscribers like any panel.
 * No DOM and no tensors here, so a panel can be mounted (and tested) against a bare state.
 */
import type { RgbaImage } from '../../model';
import type { ScaleMode } from '../../viz/colour-scale';

/** The picture the model sees, before the model's own preprocessing. */
export interface LabImage {
  rgba: RgbaImage;
  /** True class when the picture is a gallery sample; null for uploads and drawings. */
  label: number | null;
  source: 'sample' | 'upload' | 'draw' | 'npy';
  /** A `.npy` input: the model's input tensor itself (NHWC), used as is without preprocessing. */
  tensor?: { shape: [number, number, number]; data: Float32Array };
}

export interface LabState {
  /** The loaded model's id; null until the first model has loaded. Changes only after a load succeeds. */
  model: string | null;
  /** Gallery index of the chosen sample (kept when another input replaces it, for the URL). */
  sample: number;
  image: LabImage | null;
  /** The layer open in the inspector ('' = let the inspector choose). */
  layer: string;
  /** The selected map, in the open layer's output numbering. */
  channel: number;
  scale: ScaleMode;
  /** The backend the reader asked for ('' = automatic). */
  backend: string;
  /** The ratio s and cheap kernel d of the ablation-grid cell in view (they follow a grid model). */
  s: number;
  d: number;
  /** The pixel being explained in the selected map (column x, row y); −1 when none. */
  x: number;
  y: number;
  /** The compare view's second model ('' = none). */
  compare: string;
}

export type LabKey = keyof LabState;
export type Listener = (state: Readonly<LabState>, changed: ReadonlySet<LabKey>) => void;

export interface LabStore {
  get(): Readonly<LabState>;
  /** Merges a patch; subscribers whose keys changed are told once, after the whole patch applies. */
  update(patch: Partial<LabState>): void;
  /** Calls `fn` whenever one of `keys` changes ('*' for any); returns the unsubscribe function. */
  subscribe(keys: readonly LabKey[] | '*', fn: Listener): () => void;
}

export const DEFAULT_STATE: LabState = { model: null, sample: 0, image: null, layer: '', channel: 0, scale: 'layer', backend: '', s: 2, d: 3, x: -1, y: -1, compare: '' };

export function createLabState(initial: Partial<LabState> = {}): LabStore {
  let state: LabState = { ...DEFAULT_STATE, ...initial };
  const listeners = new Set<{ keys: ReadonlySet<LabKey> | null; fn: Listener }>();
  // Updates made by a listener are applied after the current round, so every listener of a round
  // sees the same state and no listener runs inside another.
  const pending: Partial<LabState>[] = [];
  let notifying = false;

  const apply = (patch: Partial<LabState>): Set<LabKey> => {
    const changed = new Set<LabKey>();
    const next = { ...state };
    for (const [k, v] of Object.entries(patch) as [LabKey, unknown][]) {
      if (v === undefined || Object.is(next[k], v)) continue;
      (next as Record<LabKey, unknown>)[k] = v;
      changed.add(k);
    }
    state = next;
    return changed;
  };

  return {
    get: () => state,
    update(patch) {
      pending.push(patch);
      if (notifying) return;
      notifying = true;
      try {
        while (pending.length) {
          const changed = apply(pending.shift()!);
          if (!changed.size) continue;
          for (const l of [...listeners]) {
            if (l.keys && ![...changed].some((k) => l.keys!.has(k))) continue;
            l.fn(state, changed);
          }
        }
      } finally {
        notifying = false;
      }
    },
    subscribe(keys, fn) {
      const entry = { keys: keys === '*' ? null : new Set(keys), fn };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
  };
}
