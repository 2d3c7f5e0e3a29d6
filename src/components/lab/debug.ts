/** `window.ghostlabDebug`: hooks for the benchmark script and tests, not part of the reader's UI. */
import type { LabContext } from './context';
import { webglContext } from '../../lib/tf-backend';
import { openableLayers } from './layers';
import { setStatus } from './status';
import { modelInput } from './views';

export function installDebug(ctx: LabContext): void {
  const { session, state } = ctx;
  Object.defineProperty(window, 'ghostlabDebug', {
    configurable: true,
    value: Object.freeze({
      /** One more inference on the current input; resolves to its time in ms. */
      infer: () =>
        session.run(async () => {
          const model = session.model;
          const image = state.get().image;
          if (!model || !image) throw new Error('no input yet');
          const r = await session.infer(modelInput(image, model));
          setStatus({ lastInferenceMs: r.ms, numTensors: session.numTensors() });
          return r.ms;
        }),
      /** Opens a layer and resolves, once it is drawn, to the time that took in ms. */
      openLayer: async (name: string) => {
        const t0 = performance.now();
        state.update({ layer: name, channel: 0 });
        await session.idle();
        return performance.now() - t0;
      },
      /** One tap on the current input, as plain arrays (to check what the page shows against it). */
      tap: (name: string) =>
        session.run(async () => {
          const model = session.model;
          const image = state.get().image;
          if (!model || !image) throw new Error('no input yet');
          const tap = (await session.inspect(modelInput(image, model), [name])).get(name)!;
          return { shape: [...tap.shape], data: Array.from(tap.data) };
        }),
      layers: () => (session.model ? openableLayers(session.model).map((l) => l.name) : []),
      loseContext: () => {
        const ext = webglContext()?.getExtension('WEBGL_lose_context');
        ext?.loseContext();
        return Boolean(ext);
      },
    }),
  });
}
