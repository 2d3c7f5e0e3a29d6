/**
 * Switching the lab's model. The state (and so the picker, the URL and `window.ghostlab.modelId`)
 * names the new model only once it has loaded; until then, and after a failure, the previous
 * model keeps answering. Any panel that offers models (picker, s/d sliders, grid chart) calls this.
 */
import type { LabContext } from './context';
import { getStatus, setStatus } from './status';

/** `wanted` is asked when the load's turn in the queue comes: a request overtaken by then is
 *  dropped (false, with nothing reported). */
export function switchModel(ctx: LabContext, id: string, wanted?: () => boolean): Promise<boolean> {
  const { cfg, session, state, notices, t } = ctx;
  return session.run(async () => {
    if (session.model && state.get().model === id) return true;
    if (wanted && !wanted()) return false;
    const info = cfg.models.find((m) => m.id === id);
    const wasReady = getStatus().ready;
    setStatus({ ready: false });
    notices.status(t.loading(id));
    try {
      if (!info) throw new Error(`unknown model ${id}`);
      const t0 = performance.now();
      await session.load(`${cfg.base}/weights/${id}/model.json`, (bytes) => notices.status(t.loadingBytes(id, (bytes / 1024).toFixed(0))));
      setStatus({ loadMs: performance.now() - t0, numTensors: session.numTensors() });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const current = state.get().model;
      setStatus({ ready: current !== null && wasReady, error: why });
      notices.error('model', current ? t.switchFailed(id, current, why) : t.loadFailed(id, why), () => void switchModel(ctx, id));
      return false; // the caller puts its control back to state.get().model
    }
    notices.recovered('model');
    state.update({ model: id });
    return true;
  });
}
