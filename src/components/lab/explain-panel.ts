/**
 * "How was this value computed": for the picked pixel (x, y) of the selected map, the arithmetic
 * that made it. A ghost map: the d×d window of its source intrinsic map, the kernel Φ, the
 * products, their sum, BatchNorm (one scale and one shift), the ReLU where the module has one.
 * An intrinsic map: the primary conv over the module's input channels, its largest terms, the
 * sum, BatchNorm, ReLU. In GhostNetV2 the map is then gated: the gate's horizontal and vertical
 * passes at the down-sampled cell the pixel comes from, and the sigmoid. The arithmetic is the
 * model's (explain.ts), the tables are src/viz's; `window.ghostlab.explained` (and
 * `explainedGate`) report the values.
 */
import { explainGatePixel, explainGhostPixel, explainIntrinsicPixel, ghostModules, type GhostModuleSpec, type GhostNetModel, type HwcMaps, type LayerInfo } from '../../model';
import { drawProducts, drawTerms } from '../../viz/products-view';
import { role, type Panel } from './context';
import { openableLayers } from './layers';
import { mapNames } from './map-names';
import { inputTap } from './module-input';
import type { TapData } from './session';
import type { LabKey } from './state';
import { setStatus } from './status';

const KEYS: readonly LabKey[] = ['model', 'image', 'layer', 'channel', 'x', 'y'];
/** How many of an intrinsic pixel's terms are listed (a 1×1 conv over 160 channels has 160). */
const LARGEST = 8;
const fmt = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));
const signed = (v: number) => `${v < 0 ? '−' : '+'} ${fmt(Math.abs(v))}`;
const hwc = (tap: TapData): HwcMaps => {
  const [height, width, channels] = tap.shape as [number, number, number];
  return { data: tap.data, height, width, channels };
};

interface Target {
  layer: LayerInfo;
  module: GhostModuleSpec;
  kind: 'intrinsic' | 'ghost';
  /** index within the intrinsic or the ghost tap */
  index: number;
  /** tap holding the module's input (intrinsic pixels), null when no tap has it */
  input: string | null;
}

export const explainPanel: Panel = (el, ctx) => {
  const { state, t } = ctx;
  const box = role(el, 'explain');
  if (!box) return {};
  const body = role(box, 'explain-body')!;
  const title = role(box, 'explain-title')!;
  let views: { destroy(): void }[] = [];

  /** The map and pixel to explain, when the state names one. */
  const target = (model: GhostNetModel): Target | null => {
    const { layer: name, channel, x, y } = state.get();
    const layer = openableLayers(model).find((l) => l.name === name);
    const module = ghostModules(model.spec).find((g) => g.path === name);
    if (!layer?.ghost || !module || x < 0 || y < 0 || y >= layer.outShape[0]! || x >= layer.outShape[1]!) return null;
    if (channel < layer.ghost.intrinsic) return { layer, module, kind: 'intrinsic', index: channel, input: inputTap(model, layer) };
    if (layer.ghost.plain || channel >= layer.ghost.intrinsic + layer.ghost.ghost) return null;
    return { layer, module, kind: 'ghost', index: channel - layer.ghost.intrinsic, input: null };
  };

  /** Gate channels follow the output numbering; only kept channels (< oup) are gated. */
  const gated = (tg: Target) => tg.module.attention !== null && state.get().channel < tg.module.outC;

  const clear = () => {
    views.forEach((v) => v.destroy());
    views = [];
    body.replaceChildren();
    title.textContent = t.explainTitle;
    setStatus({ explained: null, explainedGate: null });
  };

  const line = (text: string, role?: string) => {
    const p = document.createElement('p');
    p.className = 'lab-meta';
    p.textContent = text;
    if (role) p.dataset.role = role;
    body.append(p);
  };

  const block = () => {
    const div = document.createElement('div');
    body.append(div);
    return div;
  };

  return {
    taps(changed, model) {
      if (!KEYS.some((k) => changed.has(k))) return null;
      const tg = target(model);
      if (!tg) return [];
      const p = tg.layer.name;
      return [
        `${p}.intrinsic`,
        ...(tg.kind === 'intrinsic' && tg.input ? [tg.input] : []),
        ...(gated(tg) ? [`${p}.attn.conv`] : []),
      ];
    },
    render({ model, taps }, changed) {
      if (!KEYS.some((k) => changed.has(k))) return;
      const tg = target(model);
      const intrinsic = tg && taps.get(`${tg.layer.name}.intrinsic`);
      clear();
      if (!tg || !intrinsic) return;
      const { x, y, channel } = state.get();
      const p = tg.layer.name;
      const kernels = tg.layer.ghost!.plain ? null : model.cheapKernels(p);
      const names = mapNames(tg.layer, kernels);
      const name = names[channel]!;
      title.textContent = t.explainOf(name, x, y);
      if (tg.kind === 'ghost') {
        const e = explainGhostPixel(kernels!, hwc(intrinsic), tg.index, y, x, tg.layer.ghost!.relu);
        const d = kernels!.dwSize;
        views.push(drawProducts(block(), { rows: d, cols: d, window: e.window, kernel: e.kernel, products: e.products }, {
          format: fmt,
          strings: { window: t.explainWindow(names[e.source]!, d), kernel: t.explainKernel, products: t.explainProducts, padding: t.explainPadding },
        }));
        line(t.explainSum(fmt(e.sum)));
        line(t.explainBn(fmt(e.scale), signed(e.shift), fmt(e.normalised)));
        if (e.relu) line(t.explainRelu(fmt(e.value)));
        line(t.explainResult(name, x, y, fmt(e.value)), 'explain-value');
        setStatus({ explained: { tap: `${p}.ghost`, channel: tg.index, x, y, value: e.value } });
      } else {
        const input = tg.input ? taps.get(tg.input) : undefined;
        if (input) explainIntrinsic(model, tg, input, name, x, y);
        else line(t.explainNoInput);
      }
      const z = gated(tg) ? taps.get(`${p}.attn.conv`) : undefined;
      if (z) explainGate(model, tg, z, channel, name, x, y);
    },
    destroy: clear,
  };

  function explainIntrinsic(model: GhostNetModel, tg: Target, input: TapData, name: string, x: number, y: number): void {
    const e = explainIntrinsicPixel(tg.module, model.getWeights(), hwc(input), tg.index, y, x, LARGEST);
    const [kh, kw] = e.kernel;
    const square = kh > 1 || kw > 1;
    views.push(drawTerms(block(), {
      columns: [t.explainTermChannel, ...(square ? [t.explainTermOffset] : []), t.explainTermInput, t.explainTermWeight, t.explainTermProduct],
      rows: e.largest.map((r) => [String(r.channel), ...(square ? [`${r.dy - Math.floor(kh / 2)}, ${r.dx - Math.floor(kw / 2)}`] : []), r.input, r.weight, r.product]),
    }, { caption: t.explainTerms(`${kh}×${kw}`, e.largest.length, e.count), padding: t.explainPadding, format: fmt }));
    line(t.explainSumAll(e.count, fmt(e.sum)));
    line(t.explainBn(fmt(e.scale), signed(e.shift), fmt(e.normalised)));
    if (e.relu) line(t.explainRelu(fmt(e.value)));
    line(t.explainResult(name, x, y, fmt(e.value)), 'explain-value');
    setStatus({ explained: { tap: `${tg.layer.name}.intrinsic`, channel: tg.index, x, y, value: e.value } });
  }

  function explainGate(model: GhostNetModel, tg: Target, z: TapData, channel: number, name: string, x: number, y: number): void {
    const [outH, outW] = tg.layer.outShape as [number, number, number];
    const maps = hwc(z);
    const g = explainGatePixel(tg.module.attention!, model.getWeights(), maps, channel, y, x, outH, outW);
    const heading = document.createElement('h5');
    heading.textContent = t.explainGateTitle(name, x, y);
    body.append(heading);
    line(t.explainUpsample('rows', maps.height, outH, g.sharedRows.join(', '), g.cell.row), 'explain-upsample');
    line(t.explainUpsample('cols', maps.width, outW, g.sharedCols.join(', '), g.cell.col));
    const tables = block();
    views.push(drawProducts(tables, { rows: 5, cols: 5, window: g.window }, {
      format: fmt,
      strings: { window: t.explainGateWindow(g.cell.row, g.cell.col), padding: t.explainPadding },
    }));
    line(t.explainHorizontal(g.horizontalKernel.map(fmt).join(', '), fmt(g.horizontalScale), signed(g.horizontalShift)));
    views.push(drawTerms(block(), {
      columns: [t.explainTermRow, t.explainTermHorizontal, t.explainTermWeight, t.explainTermProduct],
      rows: g.horizontal.map((h, k) => [String(g.cell.row + k - 2), h, g.verticalKernel[k]!, h === null ? null : g.verticalProducts[k]!]),
    }, { caption: t.explainVerticalTerms, padding: t.explainPadding, format: fmt }));
    line(t.explainVertical(fmt(g.verticalSum), fmt(g.verticalScale), signed(g.verticalShift), fmt(g.logit)));
    line(t.explainSigmoid(name, fmt(g.value)), 'explain-gate-value');
    setStatus({ explainedGate: { tap: `${tg.layer.name}.attn.gate`, channel, x, y, value: g.value } });
  }
};
