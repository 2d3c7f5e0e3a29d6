/**
 * The layer inspector: composes the drawing pieces of src/viz for one layer of the model.
 * A Ghost module shows its intrinsic maps beside the ghost maps made from them, the cheap kernel
 * behind each ghost, how alike the maps are, and (GhostNetV2) the DFC attention that gates them.
 * Any other layer shows its output maps. Data arrive as plain arrays (TapData).
 */
import { defaultScheme, domainOf, type ColourDomain } from '../../viz/colour-scale';
import { drawFeatureGrid, type FeatureGridHandle, type MapData, type MapHover } from '../../viz/feature-grid';
import { drawKernel } from '../../viz/kernel-view';
import { drawLegend, type LegendHandle } from '../../viz/legend';
import { drawSimilarity } from '../../viz/similarity';
import { drawAttentionOverlay } from '../../viz/attention-overlay';
import { drawAttention } from './attention-view';
import { channelOf, fmt, maps, paged, section, type InspectorCallbacks, type InspectorInput } from './inspector-parts';
import type { LabStrings } from './strings';

/** Draws the inspector for `input` into `el`, replacing what was there. Returns a cleanup. */
export function drawInspector(
  el: HTMLElement,
  legendEl: HTMLElement,
  input: InspectorInput,
  t: LabStrings,
  cb: InspectorCallbacks,
): () => void {
  el.replaceChildren();
  legendEl.replaceChildren();
  const cleanups: (() => void)[] = [];
  const { layer, taps, names } = input;
  const name = (c: number) => names[c] ?? String(c);
  const ghost = layer.ghost && !layer.ghost.plain ? layer.ghost : null;
  const out = taps.get(layer.taps[layer.taps.length - 1]!);
  const chosen = (input.pair ?? [input.channel]).map((c) => `c${c}`);

  // Sequential scales start at 0: after a ReLU, 0 is the lowest colour, never a "negative" one.
  const gridDomain = (all: MapData[]): ColourDomain | undefined =>
    input.scaleMode === 'global' && input.globalDomain ? input.globalDomain : input.scaleMode === 'layer' ? domainOf(all.map((m) => m.data), { includeZero: true }) : undefined;
  const legend: LegendHandle = drawLegend(legendEl, null, { width: 180, strings: { ariaLabel: t.scale, min: 'min', max: 'max', zero: '0' } });
  cleanups.push(() => legend.destroy());

  const gridOpts = (ariaLabel: string, domain: ColourDomain | undefined, point?: (id: string | null) => void) => ({
    scaleMode: input.scaleMode,
    cellSize: 44,
    domain,
    includeZero: true,
    format: fmt,
    selected: chosen,
    // The keyboard's focus points at a map as the pointer's hover does.
    onHover: point && ((h: MapHover | null) => point(h ? h.id : null)),
    onFocusMap: point && ((id: string) => point(id)),
    onClick: (id: string) => cb.onChannel(channelOf(id)),
    strings: { ariaLabel, groupNames: { intrinsic: t.intrinsic, ghost: t.ghost } },
  });

  // Every map of the layer by id, and the grid that draws it (for its colour domain).
  const shown = new Map<string, { map: MapData; grid: FeatureGridHandle }>();
  const register = (list: MapData[], grid: FeatureGridHandle) => list.forEach((map) => shown.set(map.id, { map, grid }));
  let layerMaps: MapData[] = [];
  if (ghost) {
    const m = ghost.intrinsic;
    const intrinsic = maps(taps.get(`${layer.name}.intrinsic`), 'intrinsic', (i) => i, names);
    // Ghost map j is output channel m + j (the official concat order).
    const ghosts = maps(taps.get(`${layer.name}.ghost`), 'ghost', (j) => m + j, names);
    layerMaps = [...intrinsic, ...ghosts];
    const domain = gridDomain(layerMaps);
    legend.update(domain ?? null);

    const split = document.createElement('div');
    split.className = 'lab-split';
    el.append(split);
    const left = section(split, t.intrinsic, t.intrinsicHint(m, '1×1'), 'lab-group-intrinsic');
    const right = section(split, t.ghost, t.ghostHint(ghosts.length, ghost.dwSize), 'lab-group-ghost');
    const kernelBox = section(el, t.kernel, t.kernelHint);
    kernelBox.classList.add('lab-kernel');
    const kernelText = document.createElement('p');
    kernelText.className = 'lab-meta';
    kernelText.dataset.role = 'phi';

    let kernelView: ReturnType<typeof drawKernel> | null = null;
    const showKernel = (j: number | null) => {
      if (j === null || j < 0 || !input.kernels) return;
      const k = input.kernels;
      const d = k.dwSize;
      const data = { data: k.kernels[j]!, height: d, width: d };
      if (kernelView) kernelView.update(data);
      else kernelView = drawKernel(kernelBox, data, { cellSize: d > 5 ? 24 : 34, format: (v) => v.toFixed(2), strings: { ariaLabel: t.kernel } });
      // One BN, its shift with its own sign; for d = 1 the kernel is a single weight, so show the product.
      const shift = k.bnShift[j]!;
      const sign = shift < 0 ? '−' : '+';
      const parts = [t.kernelOf(name(m + j), name(k.source[j]!)), t.bn(k.bnScale[j]!.toFixed(2), sign, Math.abs(shift).toFixed(2))];
      if (d === 1) parts.push(t.effective((k.bnScale[j]! * k.kernels[j]![0]!).toFixed(3), sign, Math.abs(shift).toFixed(2)));
      kernelText.textContent = parts.join('; ');
      kernelText.dataset.ghost = String(m + j);
      if (!kernelText.isConnected) kernelBox.append(kernelText);
    };

    // Large layers are drawn a page at a time: the page that holds the selected map (or its source / its ghosts).
    const ch = input.channel;
    const source = input.kernels?.source ?? [];
    const atIntrinsic = ch < m ? ch : (source[ch - m] ?? 0);
    const atGhost = ch >= m ? ch - m : Math.max(0, source.indexOf(ch));
    const pick = (id: string) => cb.onChannel(channelOf(id));
    const intrinsicPage = paged(left, intrinsic, atIntrinsic, t, pick);
    const ghostPage = paged(right, ghosts, atGhost, t, pick);
    let ghostGrid: FeatureGridHandle | null = null;
    const intrinsicGrid = drawFeatureGrid(
      left,
      intrinsicPage,
      gridOpts(t.intrinsic, domain, (id) => {
        const i = id ? channelOf(id) : -1;
        ghostGrid?.setHighlight(id && input.kernels ? input.kernels.source.flatMap((s, j) => (s === i ? [`c${m + j}`] : [])) : []);
        if (id && input.kernels) showKernel(input.kernels.source.indexOf(i));
      }),
    );
    ghostGrid = drawFeatureGrid(
      right,
      ghostPage,
      gridOpts(t.ghost, domain, (id) => {
        const j = id ? channelOf(id) - m : -1;
        intrinsicGrid.setHighlight(id && input.kernels ? [`c${input.kernels.source[j]}`] : []);
        if (id) showKernel(j);
      }),
    );
    register(intrinsicPage, intrinsicGrid);
    register(ghostPage, ghostGrid);
    if (input.kernels) showKernel(input.channel >= m ? input.channel - m : Math.max(0, input.kernels.source.indexOf(input.channel)));
    if (ghost.kept < ghost.intrinsic + ghost.ghost) {
      // ceil(n/s)·s maps were made; the official code slices the output back to n.
      const kept = document.createElement('p');
      kept.className = 'notice';
      kept.textContent = t.kept(ghost.kept, ghost.intrinsic + ghost.ghost);
      el.insertBefore(kept, split.nextSibling);
    }
    cleanups.push(() => intrinsicGrid.destroy(), () => ghostGrid?.destroy(), () => kernelView?.destroy());
  } else if (out) {
    layerMaps = maps(out, 'output', (c) => c, names);
    const domain = gridDomain(layerMaps);
    legend.update(domain ?? null);
    if (layer.ghost?.plain) {
      const note = document.createElement('p');
      note.className = 'notice';
      note.textContent = t.plainNote;
      el.append(note);
    }
    const body = section(el, t.outputMaps);
    const page = paged(body, layerMaps, input.channel, t, (id) => cb.onChannel(channelOf(id)));
    const grid = drawFeatureGrid(body, page, gridOpts(t.outputMaps, domain));
    register(page, grid);
    cleanups.push(() => grid.destroy());
  }

  drawSelected(el, input, t, cb, shown, cleanups);
  if (ghost?.attention) drawAttention(el, input, t, cb, cleanups);

  // Feature-map redundancy, the observation GhostNet starts from.
  const kept = ghost ? ghost.kept : layerMaps.length;
  const simMaps = layerMaps.slice(0, Math.min(kept, 96));
  if (simMaps.length > 1) {
    const body = section(el, t.similarity, t.similarityHint);
    const stat = document.createElement('p');
    stat.className = 'lab-meta';
    body.append(stat);
    const index = (c: number) => simMaps.findIndex((mp) => mp.id === `c${c}`);
    const selected = input.pair ? { i: index(input.pair[0]), j: index(input.pair[1]) } : null;
    const sim = drawSimilarity(body, simMaps, {
      matrixSize: 200,
      topK: 5,
      thumbSize: 40,
      format: (v) => v.toFixed(3),
      selected: selected && selected.i >= 0 && selected.j >= 0 ? selected : null,
      onSelectPair: (p) => cb.onPair(channelOf(simMaps[p.i]!.id), channelOf(simMaps[p.j]!.id)),
      strings: { matrixLabel: t.similarity, pairsLabel: t.similarityPairs },
    });
    stat.textContent = `${t.meanMaxSim}: ${meanBestMatch(sim.matrix(), simMaps.length).toFixed(3)}`;
    cleanups.push(() => sim.destroy());
  }
  return () => cleanups.forEach((c) => c());
}

/**
 * The selected map (or the chosen pair), large, named as its tile is, in its grid's colours with
 * that scale's legend, and its value under the pointer.
 */
function drawSelected(el: HTMLElement, input: InspectorInput, t: LabStrings, cb: InspectorCallbacks, shown: Map<string, { map: MapData; grid: FeatureGridHandle }>, cleanups: (() => void)[]): void {
  const channels = (input.pair ?? [input.channel]).filter((c) => shown.has(`c${c}`));
  if (!channels.length) return;
  const name = (c: number) => input.names[c] ?? String(c);
  const title = channels.length === 2 ? t.selectedMaps(name(channels[0]!), name(channels[1]!)) : `${t.selectedMap}: ${name(channels[0]!)}`;
  const detail = section(el, title);
  detail.classList.add('lab-detail');
  const heading = detail.parentElement!.querySelector('h4')!;
  heading.dataset.role = 'selection';
  heading.setAttribute('aria-live', 'polite');
  for (const c of channels) {
    const { map, grid } = shown.get(`c${c}`)!;
    const domain = grid.domainOf(map.id) ?? domainOf([map.data], { includeZero: true });
    const scheme = defaultScheme(domain.kind);
    const fig = document.createElement('figure');
    fig.className = 'lab-detail-map';
    fig.dataset.channel = String(c);
    detail.append(fig);
    const readout = document.createElement('p');
    readout.className = 'lab-meta';
    readout.setAttribute('aria-live', 'polite');
    const view = drawAttentionOverlay(fig, { map }, {
      width: 168,
      interpolation: 'nearest',
      domain,
      scheme,
      onHover: (h) => (readout.textContent = h ? `${name(c)} (${h.row}, ${h.col}) ${t.value} ${fmt(h.value)}` : ''),
      // One map at a time can be explained pixel by pixel.
      ...(channels.length === 1 ? { onPick: (h: { row: number; col: number }) => cb.onPixel(h.row, h.col), mark: input.pixel } : {}),
      strings: { ariaLabel: `${t.selectedMap} ${name(c)}` },
    });
    const legend = drawLegend(fig, domain, { width: 160, scheme, strings: { ariaLabel: `${t.scale}, ${name(c)}` } });
    const cap = document.createElement('figcaption');
    cap.textContent = name(c);
    fig.append(cap, readout);
    cleanups.push(() => view.destroy(), () => legend.destroy());
  }
}

/** Mean over maps of each map's highest cosine similarity to any other map. */
function meanBestMatch(matrix: Float32Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    for (let j = 0; j < n; j++) if (j !== i) best = Math.max(best, matrix[i * n + j]!);
    sum += best;
  }
  return n ? sum / n : 0;
}
