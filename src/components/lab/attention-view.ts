/**
 * GhostNetV2's DFC attention for the selected channel, stage by stage (the 1×1 conv, the
 * horizontal and vertical fully connected passes, the sigmoid gate, the ungated and gated output),
 * and the gate of every channel on its fixed 0–1 scale.
 */
import { defaultScheme, domainOf, type ColourDomain } from '../../viz/colour-scale';
import { drawFeatureGrid } from '../../viz/feature-grid';
import { drawLegend } from '../../viz/legend';
import { drawAttentionOverlay } from '../../viz/attention-overlay';
import { channelOf, maps, section, type InspectorCallbacks, type InspectorInput } from './inspector-parts';
import type { TapData } from './session';
import type { LabStrings } from './strings';

export function drawAttention(el: HTMLElement, input: InspectorInput, t: LabStrings, cb: InspectorCallbacks, cleanups: (() => void)[]): void {
  const { layer, taps, channel } = input;
  const p = layer.name;
  const name = (c: number) => input.names[c] ?? String(c);
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
  const GATE: ColourDomain = { kind: 'sequential', min: 0, max: 1 };
  const stages: [string, string, boolean][] = [
    [`${p}.attn.conv`, t.attnConv, false],
    [`${p}.attn.horizontal`, t.attnH, false],
    [`${p}.attn.vertical`, t.attnV, false],
    [`${p}.attn.gate`, t.attnGate, true],
    [`${p}.ungated`, t.ungated, false],
    [p, t.gated, false],
  ];
  const out = one(taps.get(p));
  stages.forEach(([tap, caption, isGate], k) => {
    const map = one(taps.get(tap));
    if (!map) return;
    // A stage at the output's size shares its pixels: one picked here is explained like one of the selected map.
    const pickable = !!out && map.height === out.height && map.width === out.width && !input.pair;
    const fig = document.createElement('figure');
    fig.dataset.stage = tap;
    row.append(fig);
    const overBase = k < 4;
    const base = overBase ? { ...input.inputImage, channels: 1 as const, range: [0, 1] as const } : null;
    // The sigmoid gate on its fixed 0–1 range; every other stage on its own range, drawn with its legend.
    const domain = isGate ? GATE : domainOf([map.data], { includeZero: true });
    const scheme = isGate ? 'inferno' : defaultScheme(domain.kind);
    const h = drawAttentionOverlay(fig, { map, base }, {
      width: 150,
      interpolation: 'nearest',
      opacity: overBase ? 0.6 : 1,
      domain,
      scheme,
      ...(pickable ? { onPick: (px: { row: number; col: number }) => cb.onPixel(px.row, px.col), mark: input.pixel } : {}),
      strings: { ariaLabel: `${caption}, ${name(channel)}` },
    });
    const legend = drawLegend(fig, domain, { width: 140, scheme, strings: { ariaLabel: `${t.scale}, ${caption}` } });
    const cap = document.createElement('figcaption');
    cap.textContent = `${caption} (${map.height}×${map.width})`;
    fig.append(cap);
    cleanups.push(() => h.destroy(), () => legend.destroy());
  });
  const gates = maps(taps.get(`${p}.attn.gate`), 'gate', (c) => c, input.names);
  if (gates.length) {
    const LIMIT = 96;
    const gateBody = section(body, t.gateChannels);
    if (gates.length > LIMIT) {
      const note = document.createElement('p');
      note.className = 'lab-hint';
      note.dataset.role = 'gates-shown';
      note.textContent = t.gatesShown(LIMIT, gates.length);
      gateBody.append(note);
    }
    const legend = drawLegend(gateBody, GATE, { width: 140, scheme: 'inferno', strings: { ariaLabel: `${t.scale}, ${t.gateChannels}` } });
    const grid = drawFeatureGrid(gateBody, gates.slice(0, LIMIT), {
      scaleMode: 'global',
      domain: GATE,
      kind: 'sequential',
      scheme: 'inferno',
      cellSize: 32,
      labels: false,
      selected: (input.pair ?? [channel]).map((c) => `c${c}`),
      onClick: (id) => cb.onChannel(channelOf(id)),
      strings: { ariaLabel: t.gateChannels },
    });
    cleanups.push(() => grid.destroy(), () => legend.destroy());
  }
}

