/**
 * The ghost claim, measured on the loaded model: do ghost maps resemble the intrinsic maps they
 * are made from? Per ghost map of the open layer and per Ghost module on the current image: the
 * cosine similarity of each ghost with its own source, and whether that source is the intrinsic
 * map it is most alike. Then the knock-out: the ghosts of one module (or of each in turn)
 * replaced by zeros or by copies of their sources, and the gallery's accuracy recomputed live
 * against the intact model's.
 */
import { ghostResemblance, preprocessImage, type GhostNetModel, type GhostResemblance, type KnockoutMode, type LayerInfo } from '../../model';
import { splitChannels } from '../../viz/feature-grid';
import { drawValueRows, type ValueRowsHandle } from '../../viz/value-rows';
import { role, type Panel } from './context';
import { fetchSamples, loadImage, type Sample } from './gallery';
import { intrinsicName, mapNames } from './map-names';
import { logitsOn, nextTask, type TapData } from './session';
import { setStatus } from './status';

const BATCH = 100;
/** Inputs up to this side get the per-module resemblance of every module on each image. */
const SMALL_INPUT = 64;
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

/** The Ghost modules of a model that make ghost maps (the plain twin has none). */
const ghostLayers = (model: GhostNetModel): LayerInfo[] => model.layers.filter((l) => l.kind === 'ghost-module' && l.ghost && !l.ghost.plain);

function resemblanceOf(layer: LayerInfo, taps: Map<string, TapData>): GhostResemblance | null {
  const intrinsic = taps.get(`${layer.name}.intrinsic`);
  const ghosts = taps.get(`${layer.name}.ghost`);
  if (!layer.ghost || !intrinsic || !ghosts) return null;
  return ghostResemblance(splitChannels(intrinsic.data, intrinsic.shape, 'HWC'), splitChannels(ghosts.data, ghosts.shape, 'HWC'), layer.ghost.source);
}

export const ghostClaimPanel: Panel = (el, ctx) => {
  const { cfg, state, session, t } = ctx;
  const host = role(el, 'claim-panel');
  if (!host) return {};
  const mapsEl = role(host, 'claim-maps')!;
  const modulesEl = role(host, 'claim-modules')!;
  const summary = role(host, 'claim-summary')!;
  const modeSel = role<HTMLSelectElement>(host, 'knockout-mode')!;
  const oneBtn = host.querySelector<HTMLButtonElement>('[data-action="knockout"]')!;
  const allBtn = host.querySelector<HTMLButtonElement>('[data-action="knockout-all"]')!;
  const cancelBtn = host.querySelector<HTMLButtonElement>('[data-action="knockout-cancel"]')!;
  const progress = role<HTMLProgressElement>(host, 'knockout-progress')!;
  const result = role(host, 'knockout-result')!;
  const chartEl = role(host, 'knockout-chart')!;

  const cos = (v: number) => v.toFixed(2);
  let mapRows: ValueRowsHandle | null = null;
  let moduleRows: ValueRowsHandle | null = null;
  let knockRows: ValueRowsHandle | null = null;
  const openLayer = (name: string) => state.update({ layer: name, channel: 0 });

  // ---- resemblance on the current image ----
  const drawResemblance = (model: GhostNetModel, taps: Map<string, TapData>) => {
    const layers = ghostLayers(model);
    const open = state.get().layer;
    const perModule = layers.map((l) => ({ l, r: resemblanceOf(l, taps) })).filter((x): x is { l: LayerInfo; r: GhostResemblance } => x.r !== null);
    const rows = perModule.map(({ l, r }) => ({ id: l.name, label: l.name, value: r.meanOwn, marked: l.name === open, valueLabel: `${cos(r.meanOwn)} · ${pct(r.sourceIsNearest)}` }));
    const opts = { ariaLabel: t.claimModules, domain: [-1, 1] as [number, number], format: cos, onSelect: openLayer };
    if (moduleRows) moduleRows.update(rows, opts);
    else moduleRows = drawValueRows(modulesEl, rows, opts);

    const here = perModule.find((x) => x.l.name === open);
    mapRows?.destroy();
    mapRows = null;
    if (!here) {
      summary.textContent = layers.length ? t.claimOpenGhost : t.claimNoGhosts;
      setStatus({ resemblance: null });
      return;
    }
    const { l, r } = here;
    const m = l.ghost!.intrinsic;
    const names = mapNames(l, model.cheapKernels(l.name));
    summary.textContent = t.claimSummary(l.name, cos(r.meanOwn), pct(r.sourceIsNearest));
    mapRows = drawValueRows(
      mapsEl,
      r.own.map((v, j) => ({
        id: String(m + j),
        label: names[m + j]!,
        value: v,
        marked: r.nearest[j] === l.ghost!.source[j],
        valueLabel: r.nearest[j] === l.ghost!.source[j] ? `${cos(v)} ★` : `${cos(v)} (${intrinsicName(r.nearest[j]!)})`,
      })),
      { ariaLabel: t.claimMaps, domain: [-1, 1], format: cos, onSelect: (id) => state.update({ channel: Number(id) }) },
    );
    setStatus({ resemblance: { layer: l.name, own: r.own, nearest: r.nearest, meanOwn: r.meanOwn, sourceIsNearest: r.sourceIsNearest } });
  };

  // ---- knock-out over the gallery ----
  let gallery: Promise<{ samples: Sample[]; images: Awaited<ReturnType<typeof loadImage>>[] }> | null = null;
  const loadGallery = () =>
    (gallery ??= fetchSamples(cfg.base).then(async ({ samples }) => ({
      samples,
      images: await Promise.all(samples.map((s) => loadImage(`${cfg.base}/samples/${s.file}`))),
    })).catch((err) => {
      gallery = null;
      throw err;
    }));
  const baselines = new WeakMap<GhostNetModel, number>();
  // The gallery as the model sees it, preprocessed once per model (an "every module" run reuses it 17 times).
  const prepared = new WeakMap<GhostNetModel, Float32Array>();
  const galleryInputs = async (model: GhostNetModel): Promise<Float32Array> => {
    const cached = prepared.get(model);
    if (cached) return cached;
    const { images } = await loadGallery();
    const size = model.inputShape.reduce((a, b) => a * b, 1);
    const all = new Float32Array(images.length * size);
    images.forEach((img, i) => all.set(preprocessImage(img, model.config.preprocess, model.inputShape), i * size));
    prepared.set(model, all);
    return all;
  };
  let run = 0;

  /** The share of gallery images `model` classifies right, with `path`'s ghosts knocked out (or intact). */
  const accuracy = async (model: GhostNetModel, mine: number, knock: { path: string; mode: KnockoutMode } | null, step: () => void): Promise<number | null> => {
    const { samples } = await loadGallery();
    const inputs = await galleryInputs(model);
    const [h, w, c] = model.inputShape;
    const size = h * w * c;
    let right = 0;
    for (let start = 0; start < samples.length; start += BATCH) {
      const n = Math.min(BATCH, samples.length - start);
      const batch = inputs.subarray(start * size, (start + n) * size);
      // One batch per turn of the queue, and a new task before it: the page draws, answers clicks
      // and the other panels' work goes on in between.
      await nextTask();
      const logits = await session.run(() => (mine === run && session.model === model ? logitsOn(model, batch, n, knock ?? undefined) : null));
      if (!logits) return null;
      const classes = logits.length / n;
      for (let i = 0; i < n; i++) {
        let top = 0;
        for (let k = 1; k < classes; k++) if (logits[i * classes + k]! > logits[i * classes + top]!) top = k;
        if (top === samples[start + i]!.label) right++;
      }
      step();
    }
    return right / samples.length;
  };

  const busy = (on: boolean) => {
    oneBtn.disabled = allBtn.disabled = on;
    cancelBtn.hidden = !on;
    progress.hidden = !on;
    if (on) progress.value = 0;
  };

  /** Knocks out the ghosts of each of `paths` in turn; returns false when cancelled or superseded. */
  const knockout = async (paths: string[]) => {
    const model = session.model;
    if (!model || !paths.length) return;
    const mine = ++run;
    const mode = modeSel.value as KnockoutMode;
    busy(true);
    const steps = Math.ceil(((await loadGallery().catch(() => null))?.samples.length ?? 0) / BATCH) * (paths.length + (baselines.has(model) ? 0 : 1));
    let done = 0;
    const step = () => (progress.value = ++done / Math.max(1, steps));
    try {
      let baseline = baselines.get(model) ?? null;
      if (baseline === null) {
        baseline = await accuracy(model, mine, null, step);
        if (baseline === null) return;
        baselines.set(model, baseline);
      }
      const results: { layer: string; accuracy: number }[] = [];
      for (const path of paths) {
        const acc = await accuracy(model, mine, { path, mode }, step);
        if (acc === null) return;
        results.push({ layer: path, accuracy: acc });
        const rows = results.map((x) => ({ id: x.layer, label: x.layer, value: x.accuracy, marked: x.layer === state.get().layer, valueLabel: `${pct(x.accuracy)} (${pct(x.accuracy - baseline!)})` }));
        const opts = { ariaLabel: t.knockoutChart, domain: [0, 1] as [number, number], format: pct, reference: { value: baseline, label: t.knockoutIntact }, onSelect: openLayer };
        if (knockRows) knockRows.update(rows, opts);
        else knockRows = drawValueRows(chartEl, rows, opts);
        setStatus({ knockout: { layer: path, mode, accuracy: acc, baseline } });
        result.textContent = t.knockoutResult(path, mode === 'zeros' ? t.knockoutZeros : t.knockoutCopies, pct(acc), pct(baseline), String((await loadGallery()).samples.length));
      }
      if (paths.length > 1) setStatus({ knockouts: results.map((x) => ({ ...x, mode, baseline: baseline! })) });
    } catch (err) {
      result.textContent = t.knockoutFailed(err instanceof Error ? err.message : String(err));
    } finally {
      if (mine === run) busy(false);
    }
  };

  // The gallery is Fashion-MNIST: a model with other classes (a reader's ImageNet checkpoint) cannot be scored on it.
  let galleryClasses: string[] | null = null;
  void fetchSamples(cfg.base)
    .then(({ classes }) => {
      galleryClasses = classes;
      canKnock();
    })
    .catch(() => undefined);
  const scoresOnGallery = (m: GhostNetModel) => !!galleryClasses && m.labels.length === galleryClasses.length && m.labels.every((l, i) => l === galleryClasses![i]);
  const canKnock = () => {
    const model = session.model;
    const fits = !!model && scoresOnGallery(model);
    const ok = fits && ghostLayers(model!).some((l) => l.name === state.get().layer);
    oneBtn.disabled = !ok || !cancelBtn.hidden;
    oneBtn.title = ok ? '' : fits ? t.claimOpenGhost : t.knockoutNotGallery;
    allBtn.disabled = !fits || !ghostLayers(model!).length || !cancelBtn.hidden;
    if (model && !fits && galleryClasses && !result.textContent) result.textContent = t.knockoutNotGallery;
  };
  oneBtn.addEventListener('click', () => void knockout([state.get().layer]));
  allBtn.addEventListener('click', () => void knockout(ghostLayers(session.model!).map((l) => l.name)));
  cancelBtn.addEventListener('click', () => {
    run++;
    busy(false);
    canKnock();
    result.textContent = t.knockoutCancelled;
  });
  const offs = [
    state.subscribe(['layer'], canKnock),
    // A new model: earlier knock-outs were about the old one.
    state.subscribe(['model'], () => {
      run++;
      busy(false);
      knockRows?.destroy();
      knockRows = null;
      result.textContent = '';
      canKnock();
    }),
  ];

  return {
    taps: (changed, model) => {
      if (!changed.has('model') && !changed.has('image') && !changed.has('layer')) return null;
      // Every module on a small input; only the open one at ImageNet scale, where each is large.
      const layers = model.inputShape[0]! <= SMALL_INPUT ? ghostLayers(model) : ghostLayers(model).filter((l) => l.name === state.get().layer);
      return layers.flatMap((l) => [`${l.name}.intrinsic`, `${l.name}.ghost`]);
    },
    render({ model, taps }, changed) {
      if (!changed.has('model') && !changed.has('image') && !changed.has('layer')) return;
      drawResemblance(model, taps);
      canKnock();
    },
    destroy: () => {
      run++;
      offs.forEach((off) => off());
      mapRows?.destroy();
      moduleRows?.destroy();
      knockRows?.destroy();
    },
  };
};
