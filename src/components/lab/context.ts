/**
 * What every lab panel receives: its configuration, the one state, the one model session, the
 * view loop that runs the model for the state, and the shared notices. A panel is a function
 * `(element, ctx) => PanelHandle`; it reads from `ctx.state`, writes only through
 * `ctx.state.update`, and does model work only through `ctx.session` (or the view loop).
 */
import type { GhostNetModel } from '../../model';
import type { AblationGrid, ShippedModel } from '../../lib/shipped-models';
import type { InferenceResult, LabSession, TapData } from './session';
import type { LabKey, LabStore } from './state';
import type { LabLang, LabStrings } from './strings';

export interface LabConfig {
  lang: LabLang;
  mode: 'full' | 'ghost' | 'attention';
  /** The site's base path, without a trailing slash. */
  base: string;
  models: ShippedModel[];
  defaultModel: string;
  defaultLayer: string | null;
  /** The s/d grid, when this lab offers its sliders. */
  grid: AblationGrid | null;
}

/** One pass of the model over the current input, handed to every panel. */
export interface Frame {
  model: GhostNetModel;
  /** The preprocessed input, NHWC, exactly as the model sees it. */
  input: Float32Array;
  /** The latest inference on this input and model. */
  result: InferenceResult;
  /** The taps the panels asked for. */
  taps: Map<string, TapData>;
}

export interface PanelHandle {
  /** Taps this panel needs for a pass caused by `changed` (null: the panel does not redraw). */
  taps?(changed: ReadonlySet<LabKey>, model: GhostNetModel): string[] | null;
  /** Draws from one pass; called for every pass, so check `changed` for what moved. */
  render?(frame: Frame, changed: ReadonlySet<LabKey>): void;
  destroy?(): void;
}

export type Failure = 'model' | 'sample' | 'run' | 'start' | 'compare';

export interface Notices {
  /** The one-line status ("Loading…", "Ready"). */
  status(text: string): void;
  /** A lasting, polite notice. */
  notice(text: string): void;
  /** A failure of one thing (`what`: 'model', 'sample', 'run'…): an alert with an optional retry button. */
  error(what: Failure, text: string, retry?: () => void): void;
  /** That thing works again: its alert goes; `window.ghostlab.error` clears when no failure is left. */
  recovered(what: Failure): void;
}

export interface Views {
  /** Runs a pass now (queued), as if `keys` had changed. */
  rerun(keys?: LabKey[]): Promise<void>;
}

export interface LabContext {
  root: HTMLElement;
  cfg: LabConfig;
  t: LabStrings;
  full: boolean;
  state: LabStore;
  session: LabSession;
  views: Views;
  notices: Notices;
}

export type Panel = (el: HTMLElement, ctx: LabContext) => PanelHandle;

/** The element with `data-role=role` inside `root`, if the lab's markup has it in this mode. */
export function role<T extends HTMLElement = HTMLElement>(root: ParentNode, name: string): T | null {
  return root.querySelector<T>(`[data-role="${name}"]`);
}

export const BACKEND_NAMES = { webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' } as const;
