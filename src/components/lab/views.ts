/**
 * The view loop: whenever the state changes what the model should show, it runs one pass in the
 * session's queue — inference when the model or the input changed, then one inspection pass with
 * the taps every panel asked for — and hands the result to every panel. Quick successive changes
 * are folded into one pass.
 */
import { preprocessImage, type GhostNetModel } from '../../model';
import type { Frame, LabContext, PanelHandle, Views } from './context';
import type { InferenceResult } from './session';
import type { LabImage, LabKey } from './state';
import { setStatus } from './status';

/** The first model's clock starts when the lab's code starts, as a reader's wait does. */
const pageStart = performance.now();
/** State keys that change what the model computes (a new inference). */
const RUN_KEYS: readonly LabKey[] = ['model', 'image'];
/** State keys that only change what is drawn from the taps. */
const VIEW_KEYS: readonly LabKey[] = ['layer', 'channel', 'scale', 'x', 'y'];

/**
 * What `model` takes for `image`: the picture through the model's own preprocessing, or a `.npy`
 * input as it is (so it must already have the model's input shape).
 */
export function modelInput(image: LabImage, model: GhostNetModel): Float32Array {
  const { tensor } = image;
  if (!tensor) return preprocessImage(image.rgba, model.config.preprocess, model.inputShape);
  const want = model.inputShape;
  if (tensor.shape.join() !== want.join()) {
    const [h, w, c] = tensor.shape;
    throw new Error(`the .npy input has shape (1, ${c}, ${h}, ${w}) but ${model.arch} takes (1, ${want[2]}, ${want[0]}, ${want[1]}); a .npy is used as is, without resizing`);
  }
  return tensor.data;
}

export function createViews(ctx: Omit<LabContext, 'views'>, panels: () => PanelHandle[]): Views {
  const { state, session, notices, t } = ctx;
  let pending: Set<LabKey> | null = null;
  let firstRun = true;
  let input: { image: LabImage; model: GhostNetModel; data: Float32Array } | null = null;
  let result: InferenceResult | null = null;

  const pass = async (changed: ReadonlySet<LabKey>): Promise<void> => {
    const model = session.model;
    const image = state.get().image;
    if (!model || !image || state.get().model === null) return;
    if (!input || input.image !== image || input.model !== model) {
      input = { image, model, data: modelInput(image, model) };
    }
    const run = !result || RUN_KEYS.some((k) => changed.has(k));
    if (run) {
      notices.status(t.running);
      result = await session.infer(input.data);
      const labels = model.labels;
      let top = 0;
      for (let i = 1; i < result.probs.length; i++) if (result.probs[i]! > result.probs[top]!) top = i;
      const first = changed.has('model');
      setStatus({
        backend: session.backend!.name,
        lastPrediction: { index: top, label: labels[top] ?? String(top), p: result.probs[top]! },
        lastInferenceMs: result.ms,
        lastLogits: Array.from(result.logits),
        ...(first ? { firstInferenceMs: performance.now() - (firstRun ? pageStart : session.loadStartedAt) } : {}),
      });
      firstRun = false;
    }
    const handles = panels();
    const wanted = handles.flatMap((p) => p.taps?.(changed, model) ?? []);
    const taps = wanted.length ? await session.inspect(input.data, wanted) : new Map();
    const frame: Frame = { model, input: input.data, result: result!, taps };
    for (const p of handles) p.render?.(frame, changed);
    setStatus({ ready: true, numTensors: session.numTensors() });
    notices.recovered('run');
    notices.status(t.ready);
  };

  const schedule = (keys: Iterable<LabKey>): Promise<void> => {
    if (pending) {
      for (const k of keys) pending.add(k);
      return session.idle();
    }
    pending = new Set(keys);
    return session.run(async () => {
      const changed = pending!;
      pending = null;
      try {
        await pass(changed);
      } catch (err) {
        setStatus({ ready: false, error: err instanceof Error ? err.message : String(err) });
        notices.error('run', t.runFailed(err instanceof Error ? err.message : String(err)), () => void schedule(RUN_KEYS));
      }
    });
  };

  state.subscribe([...RUN_KEYS, ...VIEW_KEYS], (_s, changed) => void schedule(changed));
  return { rerun: (keys = [...RUN_KEYS]) => schedule(keys) };
}
