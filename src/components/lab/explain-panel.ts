/**
 * "How was this value computed": for the picked pixel (x, y) of a ghost map, the d×d window of its
 * source intrinsic map, the kernel Φ, the products, their sum, BatchNorm (one scale and one
 * shift), the ReLU where the module has one, and the result. The arithmetic is the model's
 * (explainGhostPixel), the tables are src/viz's; `window.ghostlab.explained` reports the value.
 */
import { explainGhostPixel, type GhostNetModel } from '../../model';
import { drawProducts } from '../../viz/products-view';
import { role, type Panel } from './context';
import { openableLayers } from './layers';
import { mapNames } from './map-names';
import type { LabKey } from './state';
import { setStatus } from './status';

const KEYS: readonly LabKey[] = ['model', 'image', 'layer', 'channel', 'x', 'y'];
const fmt = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));
const signed = (v: number) => `${v < 0 ? '−' : '+'} ${fmt(Math.abs(v))}`;

export const explainPanel: Panel = (el, ctx) => {
  const { state, t } = ctx;
  const box = role(el, 'explain');
  if (!box) return {};
  const body = role(box, 'explain-body')!;
  const title = role(box, 'explain-title')!;
  let view: { destroy(): void } | null = null;

  /** The ghost map and pixel to explain, when the state names one. */
  const target = (model: GhostNetModel) => {
    const { layer: name, channel, x, y } = state.get();
    const layer = openableLayers(model).find((l) => l.name === name);
    const ghost = layer?.ghost && !layer.ghost.plain ? layer.ghost : null;
    if (!layer || !ghost || channel < ghost.intrinsic || x < 0 || y < 0 || y >= layer.outShape[0]! || x >= layer.outShape[1]!) return null;
    return { layer, ghost, j: channel - ghost.intrinsic };
  };

  const clear = () => {
    view?.destroy();
    view = null;
    body.replaceChildren();
    title.textContent = t.explainTitle;
    setStatus({ explained: null });
  };

  return {
    taps(changed, model) {
      if (!KEYS.some((k) => changed.has(k))) return null;
      const tg = target(model);
      return tg ? [`${tg.layer.name}.intrinsic`] : [];
    },
    render({ model, taps }, changed) {
      if (!KEYS.some((k) => changed.has(k))) return;
      const tg = target(model);
      const tap = tg && taps.get(`${tg.layer.name}.intrinsic`);
      clear();
      if (!tg || !tap) return;
      const { x, y } = state.get();
      const kernels = model.cheapKernels(tg.layer.name);
      const [h, w, c] = tap.shape as [number, number, number];
      const e = explainGhostPixel(kernels, { data: tap.data, height: h, width: w, channels: c }, tg.j, y, x, tg.ghost.relu);
      const names = mapNames(tg.layer, kernels);
      const ghostName = names[tg.ghost.intrinsic + tg.j]!;
      const sourceName = names[e.source]!;
      title.textContent = t.explainOf(ghostName, x, y);
      const d = kernels.dwSize;
      const tables = document.createElement('div');
      body.append(tables);
      view = drawProducts(tables, { rows: d, cols: d, window: e.window, kernel: e.kernel, products: e.products }, {
        format: fmt,
        strings: { window: t.explainWindow(sourceName, d), kernel: t.explainKernel, products: t.explainProducts, padding: t.explainPadding },
      });
      const lines = [
        t.explainSum(fmt(e.sum)),
        t.explainBn(fmt(e.scale), signed(e.shift), fmt(e.normalised)),
        ...(e.relu ? [t.explainRelu(fmt(e.value))] : []),
        t.explainResult(ghostName, x, y, fmt(e.value)),
      ];
      for (const line of lines) {
        const p = document.createElement('p');
        p.className = 'lab-meta';
        p.textContent = line;
        body.append(p);
      }
      body.lastElementChild!.setAttribute('data-role', 'explain-value');
      setStatus({ explained: { tap: `${tg.layer.name}.ghost`, channel: tg.j, x, y, value: e.value } });
    },
    destroy: clear,
  };
};
