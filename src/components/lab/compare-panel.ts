/**
 * The compare view: a second model runs on the same image, and the same layer is drawn for both
 * models side by side, with both predictions and how much each model's ghosts resemble their own
 * sources (d = 1 makes rescaled copies, d = 3 filtered maps; the plain twin has no ghosts at all).
 * The second model belongs to this panel; its work goes through the session's queue like every
 * other piece of model work, so it never races the main model on the backend.
 */
import { ghostResemblance, preprocessImage, type GhostNetModel, type LayerInfo } from '../../model';
import { drawFeatureGrid, splitChannels, type FeatureGridHandle, type MapData } from '../../viz/feature-grid';
import { role, type Frame, type Panel } from './context';
import { maps, PAGE } from './inspector-parts';
import { openableLayers } from './layers';
import { mapNames } from './map-names';
import { fetchModel, inferOn, inspectOn, rebuildOn, type TapData } from './session';
import { setStatus, type CompareStatus } from './status';
import { className } from './strings';

const VIEW_KEYS = ['model', 'image', 'layer', 'channel'] as const;

/** What one column shows: a model's prediction and its maps of the open layer. */
interface Column {
  title: string;
  model: GhostNetModel;
  probs: Float32Array;
  layer: LayerInfo | undefined;
  taps: Map<string, TapData>;
}

const argmax = (v: ArrayLike<number>) => {
  let top = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[top]!) top = i;
  return top;
};

export const comparePanel: Panel = (el, ctx) => {
  const { cfg, state, session, notices, t } = ctx;
  const host = role(el, 'compare-panel');
  if (!host) return {};
  const select = role<HTMLSelectElement>(host, 'compare-model')!;
  const out = role(host, 'compare')!;
  const picker = role<HTMLSelectElement>(el, 'model');
  // The same choices as the model picker, after the "no second model" entry.
  if (picker) for (const node of picker.children) select.append(node.cloneNode(true));

  let other: { id: string; model: GhostNetModel; backend: string } | null = null;
  let lastFrame: Frame | null = null;
  let generation = 0;
  let grids: FeatureGridHandle[] = [];

  const clear = () => {
    grids.forEach((g) => g.destroy());
    grids = [];
    out.replaceChildren();
  };

  const mapsOf = (col: Column): MapData[] => {
    const { layer, taps } = col;
    if (!layer) return [];
    const g = layer.ghost && !layer.ghost.plain ? layer.ghost : null;
    const names = mapNames(layer, g ? col.model.cheapKernels(layer.name) : null);
    if (!g) return maps(taps.get(layer.taps[layer.taps.length - 1]!), 'output', (c) => c, names).slice(0, PAGE);
    // Side by side only the first page of each group (ImageNet layers have hundreds of maps).
    return [
      ...maps(taps.get(`${layer.name}.intrinsic`), 'intrinsic', (i) => i, names).slice(0, PAGE),
      ...maps(taps.get(`${layer.name}.ghost`), 'ghost', (j) => g.intrinsic + j, names).slice(0, PAGE),
    ];
  };

  const resemblance = (col: Column) => {
    const g = col.layer?.ghost && !col.layer.ghost.plain ? col.layer.ghost : null;
    const intrinsic = col.taps.get(`${col.layer?.name}.intrinsic`);
    const ghosts = col.taps.get(`${col.layer?.name}.ghost`);
    if (!g || !intrinsic || !ghosts) return null;
    return ghostResemblance(splitChannels(intrinsic.data, intrinsic.shape, 'HWC'), splitChannels(ghosts.data, ghosts.shape, 'HWC'), g.source);
  };

  const drawColumn = (col: Column, truth: number | null): number | null => {
    const box = document.createElement('section');
    box.className = 'lab-compare-col';
    const h = document.createElement('h4');
    h.textContent = col.title;
    const top = argmax(col.probs);
    const label = col.model.labels[top] ?? String(top);
    const pred = document.createElement('p');
    pred.className = 'lab-meta';
    pred.dataset.role = 'compare-prediction';
    pred.textContent = t.comparePredicts(className(label, cfg.lang), `${(col.probs[top]! * 100).toFixed(1)} %`) + (truth === null ? '' : truth === top ? ' ✓' : ' ✗');
    box.append(h, pred);
    const layer = col.layer;
    const sim = resemblance(col);
    const facts = document.createElement('p');
    facts.className = 'lab-meta';
    if (!layer) facts.textContent = t.compareNoLayer(state.get().layer);
    else if (layer.ghost && !layer.ghost.plain) {
      const g = layer.ghost;
      facts.textContent = `${layer.name}: ${t.compareSplit(g.intrinsic, g.ghost, g.dwSize)}`;
      if (sim) {
        const line = document.createElement('span');
        line.dataset.role = 'compare-resemblance';
        line.textContent = ` · ${t.compareResemblance(sim.meanOwn.toFixed(2), `${(sim.sourceIsNearest * 100).toFixed(0)} %`)}`;
        facts.append(line);
      }
    } else facts.textContent = `${layer.name}: ${layer.ghost?.plain ? t.plainNote : `${layer.kind} ${layer.outShape.join('×')}`}`;
    box.append(facts);
    const body = document.createElement('div');
    box.append(body);
    out.append(box);
    const all = mapsOf(col);
    if (all.length) {
      const grid = drawFeatureGrid(body, all, {
        scaleMode: 'layer',
        cellSize: 32,
        onClick: (id) => state.update({ channel: Number(id.slice(1)) }),
        strings: { ariaLabel: `${col.title}: ${layer!.name}`, groupNames: { intrinsic: t.intrinsic, ghost: t.ghost } },
      });
      grid.select(`c${state.get().channel}`);
      grids.push(grid);
    }
    return sim ? sim.meanOwn : null;
  };

  /** Runs the second model on the frame's input and draws both columns (queued; stale runs give way). */
  const compare = (frame: Frame) => {
    const mine = ++generation;
    void session.run(async () => {
      if (mine !== generation || !other) return;
      const image = state.get().image;
      if (!image) return;
      const backend = session.backend?.name ?? '';
      if (other.backend !== backend) other = { ...other, model: rebuildOn(other.model), backend };
      const { model } = other;
      const layerName = state.get().layer;
      const input = preprocessImage(image.rgba, model.config.preprocess, model.inputShape);
      const result = await inferOn(model, input);
      const layer = openableLayers(model).find((l) => l.name === layerName);
      const taps = layer ? await inspectOn(model, input, layer.taps) : new Map<string, TapData>();
      if (mine !== generation || !other) return;
      clear();
      const current = state.get().model ?? '';
      drawColumn({ title: `${current} (${t.compareCurrent})`, model: frame.model, probs: frame.result.probs, layer: openableLayers(frame.model).find((l) => l.name === layerName), taps: frame.taps }, image.label);
      const sim = drawColumn({ title: other.id, model, probs: result.probs, layer, taps }, image.label);
      const top = argmax(result.probs);
      const status: CompareStatus = { modelId: other.id, layer: layerName, prediction: { index: top, label: model.labels[top] ?? String(top), p: result.probs[top]! }, ghostSourceSimilarity: sim };
      setStatus({ compare: status, numTensors: session.numTensors() });
    });
  };

  // The choice lives in the state (and so in the URL): the picker writes it, this follows it.
  const choose = async (id: string) => {
    generation++;
    const previous = other;
    select.value = id;
    if (!id) {
      other = null;
      clear();
      setStatus({ compare: null });
      await session.run(() => previous?.model.dispose());
      setStatus({ numTensors: session.numTensors() });
      return;
    }
    if (previous?.id === id) return;
    notices.status(t.compareLoading(id));
    try {
      const model = await session.run(() => fetchModel(`${cfg.base}/weights/${id}/model.json`));
      other = { id, model, backend: session.backend?.name ?? '' };
      previous?.model.dispose();
      notices.recovered('compare');
      notices.status(t.ready);
      if (lastFrame) compare(lastFrame);
    } catch (err) {
      // The previous comparison stays; a retry asks for this model again.
      notices.error('compare', t.compareFailed(id, err instanceof Error ? err.message : String(err)), () => state.update({ compare: id }));
      state.update({ compare: previous?.id ?? '' });
      select.value = previous?.id ?? '';
    }
  };
  select.addEventListener('change', () => state.update({ compare: select.value }));
  const offCompare = state.subscribe(['compare'], (s) => void choose(s.compare));
  // A link that names a second model: it loads once the backend and the first model are up.
  select.value = state.get().compare;
  const offFirst = state.subscribe(['model'], () => {
    offFirst();
    if (state.get().compare) void choose(state.get().compare);
  });

  return {
    taps: (changed, model) => {
      if (!VIEW_KEYS.some((k) => changed.has(k))) return null;
      return openableLayers(model).find((l) => l.name === state.get().layer)?.taps ?? null;
    },
    render(frame, changed) {
      if (!VIEW_KEYS.some((k) => changed.has(k))) return;
      lastFrame = frame;
      if (other) compare(frame);
    },
    destroy: () => {
      offCompare();
      offFirst();
      generation++;
      clear();
      other?.model.dispose();
      other = null;
    },
  };
};
