/**
 * The layer inspector: composes the drawing pieces of src/viz for one layer of the model.
 * A Ghost module shows its intrinsic maps beside the ghost maps made from them, the cheap kernel
 * behind each ghost, how alike the maps are, and (GhostNetV2) the DFC attention that gates them.
 * Any other layer shows its output maps. Data arrive as plain arrays (TapData).
 */
import { domainOf, type ColourDomain, type ScaleMode } from '../../viz/colour-scale';
import { drawFeatureGrid, splitChannels, type FeatureGridHandle, type MapData, type MapHover } from '../../viz/feature-grid';
import { drawKernel } from '../../viz/kernel-view';
import { drawLegend, type LegendHandle } from '../../viz/legend';
import { drawSimilarity } from '../../viz/similarity';
import { drawAttentionOverlay } from '../../viz/attention-overlay';
import type { CheapKernels, LayerInfo } from '../../model';
import type { TapData } from './session';
import type { LabStrings } from './strings';

export interface InspectorInput {
  layer: LayerInfo;
  taps: Map<string, TapData>;
  /** The cheap kernels of a Ghost module (absent for plain convs and other layers). */
  kernels: CheapKernels | null;
  /** The model's input as an image, drawn under attention maps. */
  inputImage: { data: Float32Array; height: number; width: number };
  scaleMode: ScaleMode;
  /** A domain across the whole network, for scaleMode 'global'. */
  globalDomain: ColourDomain | null;
  /** The selected output channel (in the module's output numbering). */
  channel: number;
}

export interface InspectorCallbacks {
  onChannel(channel: number): void;
}

const fmt = (v: number) => (Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));

function maps(tap: TapData | undefined, prefix: string, group: string, label: (i: number) => string): MapData[] {
  if (!tap) return [];
  const [h, w] = tap.shape;
  return splitChannels(tap.data, tap.shape, 'HWC').map((data, i) => ({ id: `${prefix}${i}`, label: label(i), group, data, height: h!, width: w! }));
}

function section(parent: HTMLElement, title: string, hint?: string, cls = ''): HTMLElement {
  const s = document.createElement('section');
  s.className = `lab-section ${cls}`;
  const h = document.createElement('h4');
  h.textContent = title;
  s.append(h);
  if (hint) {
    const p = document.createElement('p');
    p.className = 'lab-hint';
    p.textContent = hint;
    s.append(p);
  }
  const body = document.createElement('div');
  s.append(body);
  parent.append(s);
  return body;
}

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
  const { layer, taps } = input;
  const ghost = layer.ghost && !layer.ghost.plain ? layer.ghost : null;
  const out = taps.get(layer.taps[layer.taps.length - 1]!);

  const gridDomain = (all: MapData[]): ColourDomain | undefined =>
    input.scaleMode === 'global' && input.globalDomain ? input.globalDomain : input.scaleMode === 'layer' ? domainOf(all.map((m) => m.data)) : undefined;
  const legend: LegendHandle = drawLegend(legendEl, null, { width: 180, strings: { ariaLabel: t.scale, min: 'min', max: 'max', zero: '0' } });
  cleanups.push(() => legend.destroy());

  const gridOpts = (ariaLabel: string, domain: ColourDomain | undefined, onHover?: (h: MapHover | null) => void) => ({
    scaleMode: input.scaleMode,
    cellSize: 44,
    domain,
    format: fmt,
    onHover,
    onClick: (id: string) => cb.onChannel(channelOf(id)),
    strings: { ariaLabel, groupNames: { intrinsic: t.intrinsic, ghost: t.ghost } },
  });

  let intrinsicMaps: MapData[] = [];
  if (ghost) {
    const m = ghost.intrinsic;
    const intrinsic = maps(taps.get(`${layer.name}.intrinsic`), 'c', 'intrinsic', (i) => `Y′${i}`);
    // Ghost map j is output channel m + j (the official concat order).
    const ghosts = maps(taps.get(`${layer.name}.ghost`), 'c', 'ghost', (j) => `Φ${j}(Y′${input.kernels?.source[j] ?? '?'})`).map((g, j) => ({ ...g, id: `c${m + j}` }));
    intrinsicMaps = intrinsic;
    const domain = gridDomain([...intrinsic, ...ghosts]);
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

    let kernelView: ReturnType<typeof drawKernel> | null = null;
    const showKernel = (j: number | null) => {
      if (j === null || !input.kernels) return;
      const k = input.kernels;
      const d = k.dwSize;
      const data = { data: k.kernels[j]!, height: d, width: d };
      if (kernelView) kernelView.update(data);
      else kernelView = drawKernel(kernelBox, data, { cellSize: d > 5 ? 24 : 34, format: (v) => v.toFixed(2), strings: { ariaLabel: t.kernel } });
      // One BN, its shift with its own sign; for d = 1 the kernel is a single weight, so show the product.
      const shift = k.bnShift[j]!;
      const sign = shift < 0 ? '−' : '+';
      const parts = [t.kernelOf(j, k.source[j]!), t.bn(k.bnScale[j]!.toFixed(2), sign, Math.abs(shift).toFixed(2))];
      if (d === 1) parts.push(t.effective((k.bnScale[j]! * k.kernels[j]![0]!).toFixed(3), sign, Math.abs(shift).toFixed(2)));
      kernelText.textContent = parts.join('; ');
      if (!kernelText.isConnected) kernelBox.append(kernelText);
    };

    let ghostGrid: FeatureGridHandle | null = null;
    const intrinsicGrid = drawFeatureGrid(
      left,
      intrinsic,
      gridOpts(t.intrinsic, domain, (h) => {
        const i = h ? Number(h.id.slice(1)) : -1;
        ghostGrid?.setHighlight(h && input.kernels ? input.kernels.source.flatMap((s, j) => (s === i ? [`c${m + j}`] : [])) : []);
        if (h && input.kernels) showKernel(input.kernels.source.indexOf(i));
      }),
    );
    ghostGrid = drawFeatureGrid(
      right,
      ghosts,
      gridOpts(t.ghost, domain, (h) => {
        const j = h ? Number(h.id.slice(1)) - m : -1;
        intrinsicGrid.setHighlight(h && input.kernels ? [`c${input.kernels.source[j]}`] : []);
        if (h) showKernel(j);
      }),
    );
    intrinsicGrid.select(`c${input.channel}`);
    ghostGrid.select(`c${input.channel}`);
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
    const outMaps = maps(out, 'c', 'output', (i) => `${i}`);
    const domain = gridDomain(outMaps);
    legend.update(domain ?? null);
    if (layer.ghost?.plain) {
      const note = document.createElement('p');
      note.className = 'notice';
      note.textContent = t.plainNote;
      el.append(note);
    }
    const grid = drawFeatureGrid(section(el, t.outputMaps), outMaps, gridOpts(t.outputMaps, domain));
    grid.select(`c${input.channel}`);
    cleanups.push(() => grid.destroy());
  }

  // The selected map, large, with its value under the pointer.
  const outputMaps = ghost ? [...intrinsicMaps, ...maps(taps.get(`${layer.name}.ghost`), 'c', 'ghost', (j) => `${j}`)] : maps(out, 'c', 'output', (i) => `${i}`);
  const kept = ghost ? ghost.kept : outputMaps.length;
  const sel = outputMaps[Math.min(input.channel, outputMaps.length - 1)];
  if (sel) {
    const detail = section(el, `${t.selectedMap}: ${t.channel} ${input.channel}`);
    detail.classList.add('lab-detail');
    const readout = document.createElement('p');
    readout.className = 'lab-meta';
    readout.setAttribute('aria-live', 'polite');
    const view = drawAttentionOverlay(detail, { map: sel }, {
      width: 168,
      interpolation: 'nearest',
      kind: 'auto',
      scheme: 'rdbu',
      onHover: (h) => (readout.textContent = h ? `(${h.row}, ${h.col}) ${t.value} ${fmt(h.value)}` : ''),
      strings: { ariaLabel: `${t.selectedMap} ${input.channel}` },
    });
    detail.append(readout);
    cleanups.push(() => view.destroy());
  }

  if (ghost?.attention) drawAttention(el, input, t, cb, cleanups);

  // Feature-map redundancy, the observation GhostNet starts from.
  const simMaps = outputMaps.slice(0, Math.min(kept, 96));
  if (simMaps.length > 1) {
    const body = section(el, t.similarity, t.similarityHint);
    const stat = document.createElement('p');
    stat.className = 'lab-meta';
    body.append(stat);
    const sim = drawSimilarity(body, simMaps, { matrixSize: 200, topK: 5, thumbSize: 40, format: (v) => v.toFixed(3), strings: { matrixLabel: t.similarity, pairsLabel: t.similarityPairs } });
    stat.textContent = `${t.meanMaxSim}: ${meanBestMatch(sim.matrix(), simMaps.length).toFixed(3)}`;
    cleanups.push(() => sim.destroy());
  }
  return () => cleanups.forEach((c) => c());
}

function drawAttention(el: HTMLElement, input: InspectorInput, t: LabStrings, cb: InspectorCallbacks, cleanups: (() => void)[]): void {
  const { layer, taps, channel } = input;
  const p = layer.name;
  const body = section(el, t.attention, t.attentionHint);
  const row = document.createElement('div');
  row.className = 'lab-attn';
  body.append(row);
  const one = (tap: TapData | undefined) => {
    if (!tap) return null;
    const [h, w, c] = tap.shape as [number, number, number];
    const ch = Math.min(channel, c - 1);
    const data = new Float32Array(h * w);
    for (let i = 0; i < h * w; i++) data[i] = tap.data[i * c + ch]!;
    return { data, height: h, width: w };
  };
  const stages: [string, string, boolean][] = [
    [`${p}.attn.conv`, t.attnConv, false],
    [`${p}.attn.horizontal`, t.attnH, false],
    [`${p}.attn.vertical`, t.attnV, false],
    [`${p}.attn.gate`, t.attnGate, true],
    [`${p}.ungated`, t.ungated, false],
    [p, t.gated, false],
  ];
  stages.forEach(([name, caption, isGate], k) => {
    const map = one(taps.get(name));
    if (!map) return;
    const fig = document.createElement('figure');
    row.append(fig);
    const overBase = k < 4;
    const base = overBase ? { ...input.inputImage, channels: 1 as const, range: [0, 1] as const } : null;
    const h = drawAttentionOverlay(fig, { map, base }, {
      width: 150,
      interpolation: 'nearest',
      opacity: overBase ? 0.6 : 1,
      domain: isGate ? { kind: 'sequential', min: 0, max: 1 } : undefined,
      scheme: isGate ? 'inferno' : 'rdbu',
      kind: isGate ? 'sequential' : 'auto',
      strings: { ariaLabel: `${caption}, ${t.channel} ${channel}` },
    });
    const cap = document.createElement('figcaption');
    cap.textContent = `${caption} (${map.height}×${map.width})`;
    fig.append(cap);
    cleanups.push(() => h.destroy());
  });
  const gates = maps(taps.get(`${p}.attn.gate`), 'c', 'gate', (i) => `${i}`);
  if (gates.length) {
    const grid = drawFeatureGrid(section(body, t.gateChannels), gates.slice(0, 96), {
      scaleMode: 'global',
      domain: { kind: 'sequential', min: 0, max: 1 },
      kind: 'sequential',
      scheme: 'inferno',
      cellSize: 32,
      labels: false,
      onClick: (id) => cb.onChannel(channelOf(id)),
      strings: { ariaLabel: t.gateChannels },
    });
    grid.select(`c${channel}`);
    cleanups.push(() => grid.destroy());
  }
}

function channelOf(id: string): number {
  return Number(id.replace(/^\D+/, ''));
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
