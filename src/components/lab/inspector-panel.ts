/**
 * The inspector panel: the layer picker, the colour-scale picker, and the open layer drawn by
 * `drawInspector` (intrinsic vs ghost maps, Φ kernels, similarity, DFC attention).
 */
import type { GhostNetModel, LayerInfo } from '../../model';
import { domainOf, type ScaleMode } from '../../viz/colour-scale';
import { formatCount } from '../../viz/network-strip';
import { role, type Panel } from './context';
import { drawInspector } from './inspector';
import { blockGroups, inspectorTaps, openableLayers } from './layers';

const VIEW_KEYS = ['model', 'image', 'layer', 'channel', 'scale'] as const;

export const inspectorPanel: Panel = (el, ctx) => {
  const { state, session, cfg, t } = ctx;
  const layerSel = role<HTMLSelectElement>(el, 'layer');
  const scaleSel = role<HTMLSelectElement>(el, 'scale');
  let cleanup: () => void = () => {};

  const current = (model: GhostNetModel): LayerInfo | undefined => openableLayers(model).find((l) => l.name === state.get().layer);

  // A new model: list its layers, and keep the open layer (and map) where the new model has it.
  const onModel = () => {
    const model = session.model;
    if (!model || !layerSel) return;
    const layers = openableLayers(model);
    layerSel.replaceChildren(...layers.map((l) => new Option(`${l.name} — ${l.kind} ${l.outShape.join('×')}`, l.name)));
    const want = state.get().layer;
    const fallback =
      layers.find((l) => l.name === want) ??
      (cfg.mode === 'attention' ? layers.find((l) => l.ghost?.attention) : undefined) ??
      layers.find((l) => l.name === 'blocks.2.0.ghost1') ??
      layers.find((l) => l.kind === 'ghost-module') ??
      layers[0];
    if (fallback && fallback.name !== want) state.update({ layer: fallback.name, channel: want ? 0 : state.get().channel });
    layerSel.value = state.get().layer;
  };
  // The selected map must exist in the open layer.
  const onLayer = () => {
    const model = session.model;
    const layer = model && current(model);
    if (layerSel) layerSel.value = state.get().layer;
    if (layer && state.get().channel >= layer.outShape[2]!) state.update({ channel: 0 });
  };
  const offs = [state.subscribe(['model'], onModel), state.subscribe(['layer', 'model'], onLayer)];

  if (scaleSel) scaleSel.value = state.get().scale;
  scaleSel?.addEventListener('change', () => state.update({ scale: scaleSel.value as ScaleMode }));
  layerSel?.addEventListener('change', () => state.update({ layer: layerSel.value, channel: 0 }));

  return {
    taps(changed, model) {
      if (!VIEW_KEYS.some((k) => changed.has(k))) return null;
      const layer = current(model);
      if (!layer) return null;
      // 'whole network' colours by the range over every block's output, so those come along.
      return [...inspectorTaps(layer, model), ...(state.get().scale === 'global' ? blockGroups(model).map((g) => g.id) : [])];
    },
    render({ model, input, taps }, changed) {
      if (!VIEW_KEYS.some((k) => changed.has(k))) return;
      const layer = current(model);
      if (!layer) return;
      const st = state.get();
      const [h, w, c] = model.inputShape;
      const { mean, std } = model.config.preprocess;
      const grey = new Float32Array(h * w);
      for (let i = 0; i < h * w; i++) grey[i] = input[i * c]! * std[0]! + mean[0]!;
      const all = [...taps.values()].map((x) => x.data);
      cleanup();
      cleanup = drawInspector(
        role(el, 'inspector')!,
        role(el, 'legend')!,
        {
          layer,
          taps,
          kernels: layer.ghost && !layer.ghost.plain ? model.cheapKernels(layer.name) : null,
          inputImage: { data: grey, height: h, width: w },
          scaleMode: st.scale,
          globalDomain: st.scale === 'global' ? domainOf(all) : null,
          channel: st.channel,
        },
        t,
        { onChannel: (ch) => state.update({ channel: ch }) },
      );
      role(el, 'layer-title')!.textContent = `${t.inspector}: ${layer.name}`;
      role(el, 'layer-meta')!.textContent = `${layer.kind} · ${layer.inShape.join('×')} → ${layer.outShape.join('×')} · ${formatCount(layer.params)} ${t.params} · ${formatCount(layer.macs)} ${t.macs}`;
    },
    destroy: () => {
      offs.forEach((off) => off());
      cleanup();
    },
  };
};
