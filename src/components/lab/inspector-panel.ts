/**
 * The inspector panel: the layer picker, the colour-scale picker, and the open layer drawn by
 * `drawInspector` (intrinsic vs ghost maps, Φ kernels, similarity, DFC attention). Drawing it again
 * (a new map, a new pair) keeps the page where it was and the keyboard focus on the same control.
 */
import type { GhostNetModel, LayerInfo } from '../../model';
import type { Frame } from './context';
import { domainOf, type ScaleMode } from '../../viz/colour-scale';
import { formatCount } from '../../viz/network-strip';
import { role, type Panel } from './context';
import { drawInspector } from './inspector';
import { blockGroups, inspectorTaps, openableLayers } from './layers';
import { mapNames } from './map-names';

const VIEW_KEYS = ['model', 'image', 'layer', 'channel', 'scale', 'x', 'y'] as const;

export const inspectorPanel: Panel = (el, ctx) => {
  const { state, session, cfg, t } = ctx;
  const layerSel = role<HTMLSelectElement>(el, 'layer');
  const scaleSel = role<HTMLSelectElement>(el, 'scale');
  let cleanup: () => void = () => {};
  // A pair chosen among the most similar pairs: its first map is the selected channel.
  let pair: readonly [number, number] | null = null;
  let last: Frame | null = null;
  const kindName = (kind: string) => t.kinds[kind] ?? kind;

  const current = (model: GhostNetModel): LayerInfo | undefined => openableLayers(model).find((l) => l.name === state.get().layer);

  // A new model: list its layers, and keep the open layer (and map) where the new model has it.
  const onModel = () => {
    const model = session.model;
    if (!model || !layerSel) return;
    const layers = openableLayers(model);
    layerSel.replaceChildren(...layers.map((l) => new Option(`${l.name} — ${kindName(l.kind)} ${l.outShape.join('×')}`, l.name)));
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

  const draw = ({ model, input, taps }: Frame) => {
    const layer = current(model);
    if (!layer) return;
    const st = state.get();
    const [h, w, c] = model.inputShape;
    const { mean, std } = model.config.preprocess;
    const grey = new Float32Array(h * w);
    for (let i = 0; i < h * w; i++) grey[i] = input[i * c]! * std[0]! + mean[0]!;
    const all = [...taps.values()].map((x) => x.data);
    const box = role(el, 'inspector')!;
    const focus = focusKey(box);
    // Hold the panel's height while it is redrawn: emptied for a moment, it would shorten the page
    // and the browser would pull the view up (a click on a gate map made the page jump).
    box.style.minHeight = `${box.offsetHeight}px`;
    // A redraw the reader caused from inside the panel leaves the page where it was (without this,
    // scroll anchoring nudges it); other redraws (a chapter's figure starting) leave anchoring alone.
    const y = focus ? window.scrollY : null;
    cleanup();
    const kernels = layer.ghost && !layer.ghost.plain ? model.cheapKernels(layer.name) : null;
    cleanup = drawInspector(
      box,
      role(el, 'legend')!,
      {
        layer,
        taps,
        kernels,
        names: mapNames(layer, kernels),
        inputImage: { data: grey, height: h, width: w },
        scaleMode: st.scale,
        globalDomain: st.scale === 'global' ? domainOf(all, { includeZero: true }) : null,
        channel: st.channel,
        pair,
        pixel: st.x >= 0 && st.y >= 0 ? { row: st.y, col: st.x } : null,
      },
      t,
      {
        onChannel: (ch) => state.update({ channel: ch }),
        onPair: (a, b) => {
          pair = [a, b];
          if (state.get().channel !== a) state.update({ channel: a });
          else if (last) draw(last);
        },
        onPixel: (row, col) => state.update({ x: col, y: row }),
      },
    );
    if (focus) box.querySelector<HTMLElement>(focus)?.focus({ preventScroll: true });
    box.style.minHeight = '';
    if (y !== null && window.scrollY !== y) window.scrollTo(window.scrollX, y);
    role(el, 'layer-title')!.textContent = `${t.inspector}: ${layer.name}`;
    role(el, 'layer-meta')!.textContent = `${kindName(layer.kind)} · ${layer.inShape.join('×')} → ${layer.outShape.join('×')} · ${formatCount(layer.params)} ${t.params} · ${formatCount(layer.macs)} ${t.macs}`;
  };

  return {
    taps(changed, model) {
      if (!VIEW_KEYS.some((k) => changed.has(k))) return null;
      const layer = current(model);
      if (!layer) return null;
      // 'whole network' colours by the range over every block's output, so those come along.
      return [...inspectorTaps(layer, model), ...(state.get().scale === 'global' ? blockGroups(model).map((g) => g.id) : [])];
    },
    render(frame, changed) {
      if (!VIEW_KEYS.some((k) => changed.has(k))) return;
      last = frame;
      if (pair && (changed.has('layer') || changed.has('model') || state.get().channel !== pair[0])) pair = null;
      draw(frame);
    },
    destroy: () => {
      offs.forEach((off) => off());
      cleanup();
    },
  };
};

/** A selector for the focused control inside `box` that finds its twin after a redraw, or null. */
function focusKey(box: HTMLElement): string | null {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !box.contains(active)) return null;
  const cell = active.closest<HTMLElement>('.gv-cell');
  const list = cell?.closest('[role="listbox"]');
  if (cell && list) return `[role="listbox"][aria-label="${CSS.escape(list.getAttribute('aria-label') ?? '')}"] .gv-cell[data-id="${CSS.escape(cell.dataset.id ?? '')}"]`;
  const detail = active.closest<HTMLElement>('.lab-detail figure');
  if (detail) return `.lab-detail figure[data-channel="${detail.dataset.channel}"] canvas`;
  const pairButton = active.closest<HTMLElement>('.gv-sim-pairs button');
  if (pairButton) return `.gv-sim-pairs button[data-i="${pairButton.dataset.i}"][data-j="${pairButton.dataset.j}"]`;
  return null;
}
